import assert from "node:assert/strict";
import { Hono } from "hono";
import type { Fix } from "../domain/fix.ts";
import { hashDeviceKey } from "../domain/device_key.ts";
import { answer, mounted } from "./_route_testing.ts";
import { DeviceKeys } from "./device_keys.ts";
import { osmandRoute, type PeerEnv } from "./osmand_http.ts";
import type { PhoneOutcome } from "./phone_links.ts";

const KEY = "0123456789abcdef0123456789abcdef";

function _app(options: {
  outcome?: PhoneOutcome;
  perDevice?: { perSec: number; burst: number };
  perAddress?: { perSec: number; burst: number };
} = {}) {
  const hash = hashDeviceKey(KEY);
  const submitted: { driverId: string; fixes: readonly Fix[] }[] = [];
  let lookups = 0;
  const route: Hono<PeerEnv> = osmandRoute({
    keys: new DeviceKeys({
      lookup: (h) => (lookups++, Promise.resolve(h === hash ? "d-1" : undefined)),
    }),
    links: {
      submit: (driverId, fixes) => {
        submitted.push({ driverId, fixes });
        return Promise.resolve(options.outcome ?? { kind: "stored", refused: [] });
      },
    },
    perDevice: options.perDevice ?? { perSec: 1000, burst: 1000 },
    perAddress: options.perAddress,
  });
  const app = mounted(route);
  const send = (path: string, init: RequestInit = {}, from = "10.0.0.1") =>
    app.request(path, init, { remoteAddress: from });
  return { send, submitted, lookups: () => lookups };
}

Deno.test("/osmand reads the query, a form, a JSON array and a Transistorsoft location as the key's driver's fixes", async () => {
  const { send, submitted } = _app();
  const q = `id=${KEY}&lat=1.5&lon=2.5&timestamp=1732400000&speed=10&bearing=90&accuracy=4`;
  assert.equal((await send(`/osmand?${q}`)).status, 200);
  assert.equal(
    (await send("/osmand", { method: "POST", body: new URLSearchParams(q) })).status,
    200,
  );
  const batch = [{ id: KEY, lat: 1, lon: 2, timestamp: 1732400001000 }, {
    id: KEY,
    lat: 1,
    lon: 2,
    timestamp: "2024-11-23 22:13:22",
  }];
  const json = { "Content-Type": "application/json" };
  assert.equal(
    (await send("/osmand", { method: "POST", headers: json, body: JSON.stringify(batch) })).status,
    200,
  );
  const location = {
    device_id: KEY.toUpperCase(),
    location: {
      timestamp: "2024-11-23T22:13:23.500Z",
      coords: { latitude: 3, longitude: 4, speed: -1, heading: -1, accuracy: 7, altitude: 1 },
      battery: { level: 0.5, is_charging: true },
    },
  };
  const posted = { method: "POST", headers: json, body: JSON.stringify(location) };
  assert.equal((await send("/osmand", posted)).status, 200);
  const fix = { lat: 1.5, lon: 2.5, ts: 1732400000000, speed: 10 * 1852 / 3600, heading: 90 };
  assert.deepEqual(submitted, [
    { driverId: "d-1", fixes: [{ ...fix, accuracy: 4 }] },
    { driverId: "d-1", fixes: [{ ...fix, accuracy: 4 }] },
    {
      driverId: "d-1",
      fixes: [{ lat: 1, lon: 2, ts: 1732400001000 }, { lat: 1, lon: 2, ts: 1732400002000 }],
    },
    { driverId: "d-1", fixes: [{ lat: 3, lon: 4, ts: 1732400003500, accuracy: 7 }] },
  ]);
});

Deno.test("/osmand refuses an unreadable request with 400 and names the field; an unknown key is 404", async () => {
  const { send, submitted } = _app();
  const cases: [string, number, string, string | undefined][] = [
    [`/osmand?lat=1&lon=2&timestamp=1732400000`, 400, "invalid_request", "id"],
    [`/osmand?id=${KEY}&lat=north&lon=2&timestamp=1732400000`, 400, "invalid_request", "lat"],
    [`/osmand?id=${KEY}&lat=1&lon=2`, 400, "invalid_request", "timestamp"],
    [`/osmand?id=${KEY}&lat=1&lon=2&timestamp=yesterday`, 400, "invalid_request", "timestamp"],
    [`/osmand?id=nope&lat=1&lon=2&timestamp=1732400000`, 404, "device_not_found", "id"],
  ];
  for (const [path, status, code, field] of cases) {
    const { status: got, body } = await answer(send(path));
    assert.deepEqual([got, body.error.code, body.error.field], [status, code, field], path);
  }
  assert.equal(submitted.length, 0);
});

Deno.test("/osmand answers 503 with Retry-After while Kafka does not take the fixes, 200 for fixes refused for good", async () => {
  const q = `/osmand?id=${KEY}&lat=1&lon=2&timestamp=1732400000`;
  for (const kind of ["unavailable", "busy"] as const) {
    const { send } = _app({ outcome: { kind, message: "later" } });
    const res = await answer(send(q));
    assert.deepEqual([res.status, res.body.error.code], [503, "unavailable"]);
    assert.equal(res.headers.get("Retry-After"), "5");
  }
  const { send } = _app({ outcome: { kind: "stored", refused: ["too_old"] } });
  const res = await send(q);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("X-Fixes-Refused"), "too_old");
});

Deno.test("/osmand limits key look-ups per source address and requests per device (429)", async () => {
  const { send, lookups } = _app({
    perAddress: { perSec: 0.001, burst: 2 },
    perDevice: { perSec: 0.001, burst: 3 },
  });
  const unknown = (i: number) => `/osmand?id=guess-${i}&lat=1&lon=2&timestamp=1732400000`;
  assert.equal((await send(unknown(1))).status, 404);
  assert.equal((await send(unknown(2))).status, 404);
  const limited = await answer(send(unknown(3)));
  assert.deepEqual([limited.status, limited.body.error.code], [429, "rate_limited"]);
  assert.equal(lookups(), 2, "the third guess never reached the store");
  assert.equal((await send(unknown(3), {}, "10.0.0.2")).status, 404, "another address");
  // The known key is cached after one look-up: its device budget is its own.
  const known = `/osmand?id=${KEY}&lat=1&lon=2&timestamp=1732400000`;
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await send(known, {}, "10.0.0.3")).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
});

Deno.test("/osmand accepts any method, as the apps use GET and POST", async () => {
  const { send } = _app();
  for (const method of ["GET", "POST", "PUT"]) {
    const res = await send(`/osmand?id=${KEY}&lat=1&lon=2&timestamp=1732400000`, { method });
    assert.equal(res.status, 200, method);
  }
});
