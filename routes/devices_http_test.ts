import assert from "node:assert/strict";
import { answer, bearer, mounted, TEST_SECRET } from "./_route_testing.ts";
import { devicesHttpRoute } from "./devices_http.ts";
import { hashDeviceKey } from "../domain/device_key.ts";
import type { Device, DeviceStore } from "../domain/device_store.ts";

function _store() {
  const rows: (Device & { keyHash: string; revoked: boolean })[] = [];
  const store: DeviceStore = {
    add: (driverId, keyHash, now) => {
      const device = { id: `dev-${rows.length + 1}`, driverId, createdAt: now };
      rows.push({ ...device, keyHash, revoked: false });
      return Promise.resolve(device);
    },
    list: (driverId) =>
      Promise.resolve(
        rows.filter((r) => r.driverId === driverId && !r.revoked)
          .map(({ id, driverId, createdAt }) => ({ id, driverId, createdAt })),
      ),
    revoke: (driverId, deviceId) => {
      const row = rows.find((r) => r.id === deviceId && r.driverId === driverId && !r.revoked);
      if (row) row.revoked = true;
      return Promise.resolve(row !== undefined);
    },
    driverOfKey: (hash) => Promise.resolve(rows.find((r) => r.keyHash === hash)?.driverId),
  };
  return { rows, store };
}

Deno.test("device routes: only ops register, list and revoke a driver's phones", async () => {
  const { store } = _store();
  const app = mounted(devicesHttpRoute({ secret: TEST_SECRET, store }));
  for (const role of ["driver", "customer", "restaurant"]) {
    const headers = await bearer(role, "d-1");
    const calls = [
      ["POST", "/drivers/d-1/devices"],
      ["GET", "/drivers/d-1/devices"],
      ["DELETE", "/drivers/d-1/devices/dev-1"],
    ] as const;
    for (const [method, path] of calls) {
      const res = await answer(app.request(path, { method, headers }));
      assert.deepEqual([res.status, res.body.error.code], [403, "forbidden"], `${role} ${method}`);
    }
  }
  assert.equal((await app.request("/drivers/d-1/devices", { method: "POST" })).status, 401);
});

Deno.test("device routes: a new key is 128 random bits shown once, stored as its SHA-256; a revoked one is gone", async () => {
  const { rows, store } = _store();
  const revoked: string[] = [];
  const app = mounted(
    devicesHttpRoute({
      secret: TEST_SECRET,
      store,
      revoked: (id) => revoked.push(id),
      now: () => 7,
    }),
  );
  const ops = await bearer("ops", "ops-1");
  const created = await answer(
    app.request("/drivers/d-1/devices", { method: "POST", headers: ops }),
  );
  assert.equal(created.status, 201);
  assert.match(created.body.key, /^[0-9a-f]{32}$/);
  assert.equal(created.headers.get("Cache-Control"), "no-store");
  assert.deepEqual(created.body.device, { id: "dev-1", driverId: "d-1", createdAt: 7 });
  assert.equal(rows[0]!.keyHash, hashDeviceKey(created.body.key));
  assert.ok(!JSON.stringify(rows).includes(created.body.key), "the key itself is not stored");

  const listed = await answer(app.request("/drivers/d-1/devices", { headers: ops }));
  assert.deepEqual(listed.body, { driverId: "d-1", devices: [created.body.device] });
  assert.ok(!JSON.stringify(listed.body).includes(created.body.key), "the list has no key");

  const gone = await app.request("/drivers/d-1/devices/dev-1", { method: "DELETE", headers: ops });
  assert.equal(gone.status, 204);
  assert.deepEqual(revoked, ["d-1"]);
  const again = await answer(
    app.request("/drivers/d-1/devices/dev-1", { method: "DELETE", headers: ops }),
  );
  assert.deepEqual([again.status, again.body.error.code], [404, "device_not_found"]);
  const empty = await answer(app.request("/drivers/d-1/devices", { headers: ops }));
  assert.deepEqual(empty.body.devices, []);
});
