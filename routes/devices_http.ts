import { Hono } from "hono";
import { z } from "zod";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import { hashDeviceKey, newDeviceKey } from "../domain/device_key.ts";
import { deviceSchema, type DeviceStore } from "../domain/device_store.ts";

/** What the device routes need. */
export interface DevicesHttpDeps {
  readonly secret: string;
  readonly store: DeviceStore;
  /** Called after a device of `driverId` is revoked, so cached keys of the driver are dropped. */
  readonly revoked?: (driverId: string) => void;
  /** The clock, epoch ms. @default {Date.now} */
  readonly now?: () => number;
}

/** The answer of `POST /drivers/:id/devices`: the device and its key, shown this once. */
export const newDeviceSchema = z.object({
  device: deviceSchema,
  key: z.string().meta({
    description: "The device key (128 random bits, hex): the identifier to type into the app. " +
      "Shown once; only its SHA-256 is stored.",
  }),
});

/** The answer of `GET /drivers/:id/devices`. */
export const deviceListSchema = z.object({ driverId: z.string(), devices: z.array(deviceSchema) });

/**
 * `POST /drivers/:id/devices` (a new key, shown once), `GET /drivers/:id/devices` (without keys),
 * `DELETE /drivers/:id/devices/:deviceId` (revoke): phones that send fixes as the driver over
 * the OsmAnd protocol (docs/phones.md). Ops only.
 */
export function devicesHttpRoute(deps: DevicesHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const now = deps.now ?? Date.now;
  const auth = authenticate(deps.secret, ROLES, REST_AUTH);
  app.use("/drivers/:id/devices", pathIds(), auth);
  app.use("/drivers/:id/devices/*", pathIds(), auth);

  app.post("/drivers/:id/devices", async (c) => {
    permissions.manageDevices(c.get("principal"));
    const key = newDeviceKey();
    const device = await deps.store.add(c.req.param("id"), hashDeviceKey(key), now());
    c.header("Cache-Control", "no-store");
    return c.json({ device, key } satisfies z.infer<typeof newDeviceSchema>, 201);
  });

  app.get("/drivers/:id/devices", async (c) => {
    permissions.manageDevices(c.get("principal"));
    const driverId = c.req.param("id");
    return c.json({ driverId, devices: await deps.store.list(driverId) });
  });

  app.delete("/drivers/:id/devices/:deviceId", async (c) => {
    permissions.manageDevices(c.get("principal"));
    const { id, deviceId } = c.req.param();
    if (!(await deps.store.revoke(id, deviceId, now()))) {
      throw apiError(404, "device_not_found", `driver ${id} has no device ${deviceId}`);
    }
    deps.revoked?.(id);
    return c.body(null, 204);
  });
  return app;
}
