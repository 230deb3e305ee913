import assert from "node:assert/strict";
import { zonesHttpRoute } from "./zones_http.ts";
import { answer, bearer, mounted, TEST_SECRET } from "./_route_testing.ts";
import type { NewZone, Zone } from "../domain/zone.ts";
import type { ZoneStore } from "../domain/zone_store.ts";

/** An in-memory zone store: this tests the route's translation and checks, not PostgreSQL. */
function _app() {
  const zones = new Map<string, Zone>();
  let changes = 0;
  const store: ZoneStore = {
    create: (zone: NewZone, now: number) => {
      const made = { ...zone, id: `z${zones.size + 1}`, createdAt: now };
      zones.set(made.id, made);
      return Promise.resolve(made);
    },
    list: () => Promise.resolve([...zones.values()]),
    get: (id) => Promise.resolve(zones.get(id)),
    delete: (id) => Promise.resolve(zones.delete(id)),
    fingerprint: () => Promise.resolve(String(zones.size)),
    restaurantKnown: (id) => Promise.resolve(id === "r1"),
  };
  const events = { recent: () => Promise.resolve([]) };
  const route = zonesHttpRoute({ secret: TEST_SECRET, store, events, changed: () => changes++ });
  return { app: mounted(route), zones, changes: () => changes };
}

const square = [[77.6, 12.95], [77.602, 12.95], [77.602, 12.952], [77.6, 12.952], [77.6, 12.95]];

async function post(app: ReturnType<typeof _app>["app"], body: unknown, role = "ops") {
  const headers = { ...await bearer(role, "o1"), "content-type": "application/json" };
  return await answer(
    app.request("/zones", { method: "POST", headers, body: JSON.stringify(body) }),
  );
}

Deno.test("POST /zones: ops make a polygon or a circle zone; it is listed, read and deleted", async () => {
  const { app, changes } = _app();
  const made = await post(app, {
    name: "R1 pickup",
    restaurantId: "r1",
    polygon: { type: "Polygon", coordinates: [square] },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.dwellSeconds, 60);
  assert.equal(made.body.createdBy, "ops:o1");
  const circle = await post(app, {
    name: "hub",
    dwellSeconds: 0,
    circle: { lat: 12.9, lon: 77.5, radiusMeters: 80 },
  });
  assert.equal(circle.status, 201);
  assert.deepEqual(circle.body.shape, { type: "Circle", lat: 12.9, lon: 77.5, radiusMeters: 80 });
  assert.equal(circle.body.restaurantId, null);
  const headers = await bearer("dispatcher", "x");
  const list = await answer(app.request("/zones", { headers }));
  assert.deepEqual(list.body.zones.map((z: Zone) => z.name), ["R1 pickup", "hub"]);
  assert.equal((await answer(app.request("/zones/z1", { headers }))).body.name, "R1 pickup");
  const ops = await bearer("ops", "o1");
  const gone = await answer(app.request("/zones/z1", { method: "DELETE", headers: ops }));
  assert.deepEqual(gone.body, { id: "z1", deleted: true });
  const again = await answer(app.request("/zones/z1", { method: "DELETE", headers: ops }));
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, "zone_not_found");
  assert.equal(changes(), 3, "each change is told, so this instance re-reads at once");
});

Deno.test("POST /zones: bad polygons get 400 invalid_body naming the field", async () => {
  const { app, zones } = _app();
  const cases: [unknown, string, RegExp][] = [
    [
      { name: "a", polygon: { type: "Polygon", coordinates: [square.slice(0, 4)] } },
      "polygon.coordinates.0.3",
      /closed/,
    ],
    [
      {
        name: "a",
        polygon: {
          type: "Polygon",
          coordinates: [[[77.6, 12.95], [77.61, 12.96], [77.61, 12.95], [77.6, 12.955], [
            77.6,
            12.95,
          ]]],
        },
      },
      "polygon.coordinates.0.3",
      /cross itself/,
    ],
    [
      {
        name: "a",
        polygon: { type: "Polygon", coordinates: [square.map(([x, y]) => [y, x! + 100])] },
      },
      "polygon.coordinates.0.0",
      /\[lon, lat\]/,
    ],
    [
      { name: "a", polygon: { type: "LineString", coordinates: [square] } },
      "polygon.type",
      /Polygon/,
    ],
    [
      { name: "a", circle: { lat: 12.9, lon: 77.5, radiusMeters: 1 } },
      "circle.radiusMeters",
      /20\.\.50000/,
    ],
    [{ name: "a" }, "", /polygon or a circle/],
    [
      {
        name: "a",
        circle: { lat: 1, lon: 1, radiusMeters: 50 },
        polygon: { type: "Polygon", coordinates: [square] },
      },
      "circle",
      /one of them/,
    ],
    [{ name: "", circle: { lat: 1, lon: 1, radiusMeters: 50 } }, "name", /at least 1 characters/],
  ];
  for (const [body, field, message] of cases) {
    const res = await post(app, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, "invalid_body");
    assert.equal(res.body.error.field ?? "", field, res.body.error.message);
    assert.match(res.body.error.message, message);
  }
  assert.equal(zones.size, 0);
});

Deno.test("POST /zones: an unknown restaurant is 422 unknown_restaurant", async () => {
  const { app } = _app();
  const res = await post(app, {
    name: "a",
    restaurantId: "r-none",
    circle: { lat: 1, lon: 1, radiusMeters: 50 },
  });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.error, {
    code: "unknown_restaurant",
    message: "no order names restaurant r-none",
    field: "restaurantId",
  });
});

Deno.test("/zones: only ops make and delete; ops and dispatchers read; the rest get 403", async () => {
  const { app } = _app();
  const body = { name: "a", circle: { lat: 1, lon: 1, radiusMeters: 50 } };
  for (const role of ["dispatcher", "driver", "customer", "restaurant"]) {
    const res = await post(app, body, role);
    assert.equal(res.status, 403, role);
    assert.equal(res.body.error.code, "forbidden");
  }
  assert.equal((await post(app, body)).status, 201);
  for (const role of ["driver", "customer", "restaurant"]) {
    const headers = await bearer(role, "x");
    assert.equal((await answer(app.request("/zones", { headers }))).status, 403, role);
    assert.equal((await answer(app.request("/zones/events", { headers }))).status, 403, role);
  }
  const dispatcher = await bearer("dispatcher", "x");
  const del = await answer(app.request("/zones/z1", { method: "DELETE", headers: dispatcher }));
  assert.equal(del.status, 403);
  assert.equal((await answer(app.request("/zones"))).status, 401);
  const events = await answer(app.request("/zones/events?limit=500", { headers: dispatcher }));
  assert.equal(events.status, 400);
  assert.equal(events.body.error.code, "invalid_query");
});
