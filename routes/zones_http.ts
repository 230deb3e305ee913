import { Hono } from "hono";
import { z } from "zod";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { readJsonBody } from "./json_body.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import { bodyShape, newZoneBodySchema } from "./zone_body.ts";
import { type Zone, zoneSchema } from "../domain/zone.ts";
import { zoneEventSchema } from "../domain/zone_event.ts";
import type { ZoneStore } from "../domain/zone_store.ts";
import type { ZoneEventStore } from "../domain/zone_event_store.ts";

/** What the zone routes need. */
export interface ZonesHttpDeps {
  readonly secret: string;
  readonly store: ZoneStore;
  readonly events: Pick<ZoneEventStore, "recent">;
  /** Told of a zone made or deleted here (this instance's judge sees it at once). */
  readonly changed?: () => void;
}

/** The answer of `GET /zones`. */
export const zoneListSchema = z.object({ zones: z.array(zoneSchema) });

/** The answer of `GET /zones/events`, newest first. */
export const zoneEventListSchema = z.object({ events: z.array(zoneEventSchema) });

/** The query of `GET /zones/events`. */
export const zoneEventsQuerySchema = z.object({
  limit: z.string().regex(/^\d{1,3}$/, "limit must be a number in 1..100")
    .refine((v) => Number(v) >= 1 && Number(v) <= 100, "limit must be a number in 1..100")
    .optional().meta({ description: "At most this many, 1..100 (default 20)." }),
});

/** The answer of `DELETE /zones/:id`. */
export const zoneDeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });

/**
 * `/zones`: ops make (`POST`, a polygon or a circle) and delete zones; ops and dispatchers list
 * them, read one, and read the newest zone events. A restaurant named must be known (some order
 * names it): 422 `unknown_restaurant`.
 */
export function zonesHttpRoute(deps: ZonesHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("/zones", authenticate(deps.secret, ROLES, REST_AUTH));
  app.use("/zones/*", pathIds(), authenticate(deps.secret, ROLES, REST_AUTH));

  app.post("/zones", async (c) => {
    const principal = c.get("principal");
    permissions.manageZones(principal);
    const body = await readJsonBody(c, newZoneBodySchema);
    const restaurantId = body.restaurantId ?? null;
    if (restaurantId !== null && !(await deps.store.restaurantKnown(restaurantId))) {
      throw apiError(422, "unknown_restaurant", `no order names restaurant ${restaurantId}`, {
        field: "restaurantId",
      });
    }
    const zone = await deps.store.create({
      name: body.name,
      restaurantId,
      shape: bodyShape(body),
      dwellSeconds: body.dwellSeconds,
      createdBy: `${principal.role}:${principal.sub}`,
    }, Date.now());
    deps.changed?.();
    return c.json(zone, 201);
  });

  app.get("/zones", async (c) => {
    permissions.readZones(c.get("principal"));
    const answer: z.infer<typeof zoneListSchema> = { zones: await deps.store.list() };
    return c.json(answer);
  });

  app.get("/zones/events", async (c) => {
    permissions.readZones(c.get("principal"));
    const checked = zoneEventsQuerySchema.safeParse(c.req.query());
    if (!checked.success) {
      throw apiError(400, "invalid_query", checked.error.issues[0]!.message, { field: "limit" });
    }
    const limit = Number(checked.data.limit ?? 20);
    const answer: z.infer<typeof zoneEventListSchema> = {
      events: await deps.events.recent(limit),
    };
    return c.json(answer);
  });

  app.get("/zones/:id", async (c) => {
    permissions.readZones(c.get("principal"));
    return c.json(_found(await deps.store.get(c.req.param("id")), c.req.param("id")));
  });

  app.delete("/zones/:id", async (c) => {
    permissions.manageZones(c.get("principal"));
    const id = c.req.param("id");
    if (!(await deps.store.delete(id))) _found(undefined, id);
    deps.changed?.();
    const answer: z.infer<typeof zoneDeletedSchema> = { id, deleted: true };
    return c.json(answer);
  });
  return app;
}

function _found(zone: Zone | undefined, id: string): Zone {
  if (!zone) throw apiError(404, "zone_not_found", `no zone ${id}`);
  return zone;
}
