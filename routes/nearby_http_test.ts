import assert from "node:assert/strict";
import { nearbyHttpRoute } from "./nearby_http.ts";
import { answer, bearer, emptyDriversRoute, mounted, TEST_SECRET } from "./_route_testing.ts";
import { Hono } from "hono";
import type { NearbyDriver, NearbyQuery } from "../actors/nearby_search.ts";

const DRIVER: NearbyDriver = {
  driverId: "d1",
  lat: 12.97,
  lon: 77.59,
  ts: 1,
  state: "idle",
  distanceM: 12.5,
  ageMs: 800,
};

function _app() {
  const asked: NearbyQuery[] = [];
  const nearby = nearbyHttpRoute({
    secret: TEST_SECRET,
    nearby: (query) => (asked.push(query), Promise.resolve([DRIVER])),
    maxAgeMs: 60_000,
  });
  // As the service mounts them: nearby first, then the `/drivers/:id/...` routes.
  const app = new Hono();
  app.route("/", nearby);
  app.route(
    "/",
    emptyDriversRoute(),
  );
  return { app: mounted(app), asked };
}

const get = async (app: Hono, query: string, role = "dispatcher") =>
  await answer(app.request(`/drivers/nearby?${query}`, { headers: await bearer(role, "x1") }));

Deno.test("GET /drivers/nearby: ops and dispatchers search; every other role gets 403", async () => {
  const { app, asked } = _app();
  for (const role of ["dispatcher", "ops"]) {
    const res = await get(app, "lat=12.97&lon=77.59", role);
    assert.equal(res.status, 200, role);
    assert.deepEqual(res.body, { drivers: [DRIVER], maxAgeMs: 60_000 });
  }
  assert.deepEqual(asked[0], { lat: 12.97, lon: 77.59, radiusM: 3_000, limit: 10, state: "any" });
  for (const role of ["driver", "customer", "restaurant", "share"]) {
    const res = await get(app, "lat=12.97&lon=77.59", role);
    assert.equal(res.status, role === "share" ? 401 : 403, role);
  }
  const anonymous = await answer(app.request("/drivers/nearby?lat=1&lon=2"));
  assert.equal(anonymous.body.error.code, "token_missing");
});

Deno.test("GET /drivers/nearby reads radius, limit and state", async () => {
  const { app, asked } = _app();
  const res = await get(app, "lat=-33.5&lon=-70.25&radius_m=500.5&limit=3&state=carrying");
  assert.equal(res.status, 200);
  assert.deepEqual(asked[0], {
    lat: -33.5,
    lon: -70.25,
    radiusM: 500.5,
    limit: 3,
    state: "carrying",
  });
});

Deno.test("GET /drivers/nearby refuses a bad query with 400 invalid_query naming the parameter", async () => {
  const { app, asked } = _app();
  const cases: [string, string][] = [
    ["lon=77", "lat"],
    ["lat=12", "lon"],
    ["lat=91&lon=0", "lat"],
    ["lat=abc&lon=0", "lat"],
    ["lat=0&lon=180.5", "lon"],
    ["lat=0&lon=0&radius_m=0", "radius_m"],
    ["lat=0&lon=0&radius_m=50001", "radius_m"],
    ["lat=0&lon=0&radius_m=-5", "radius_m"],
    ["lat=0&lon=0&limit=0", "limit"],
    ["lat=0&lon=0&limit=101", "limit"],
    ["lat=0&lon=0&limit=2.5", "limit"],
    ["lat=0&lon=0&state=busy", "state"],
    ["lat=1e2&lon=0", "lat"],
  ];
  for (const [query, field] of cases) {
    const res = await get(app, query);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, "invalid_query", query);
    assert.equal(res.body.error.field, field, query);
  }
  assert.equal(asked.length, 0);
});

Deno.test("GET /drivers/nearby is not taken for a driver id by the /drivers/:id routes", async () => {
  const { app } = _app();
  const location = await answer(
    app.request("/drivers/nearby/location", { headers: await bearer("ops", "x") }),
  );
  assert.equal(location.body.error.code, "location_not_found", "nearby/location is a driver id");
  const res = await get(app, "lat=0&lon=0", "dispatcher");
  assert.equal(res.status, 200);
});
