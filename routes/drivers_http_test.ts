import assert from "node:assert/strict";
import { driversHttpRoute, parseHistoryQuery } from "./drivers_http.ts";
import { answer, bearer, mounted, TEST_SECRET } from "./_route_testing.ts";
import type { HistoryQuery } from "../domain/history_store.ts";
import type { LocationRecord } from "../domain/location_record.ts";

const RECORD: LocationRecord = {
  driverId: "d1",
  seq: 1,
  ts: 1_795_958_700_000,
  lat: 12.9,
  lon: 77.6,
  region: "south",
  receivedAt: 1_795_958_700_100,
};

function _app() {
  const queries: HistoryQuery[] = [];
  const looked: string[] = [];
  const app = mounted(driversHttpRoute({
    secret: TEST_SECRET,
    store: { history: (_id, q) => (queries.push(q), Promise.resolve([])) },
    latestPosition: (id) => (looked.push(id), Promise.resolve(id === "d1" ? RECORD : undefined)),
  }));
  return { app, queries, looked };
}

Deno.test("GET /drivers/:id/location: the driver itself and ops read it, others get 403", async () => {
  const { app } = _app();
  const self = await answer(
    app.request("/drivers/d1/location", { headers: await bearer("driver", "d1") }),
  );
  assert.equal(self.status, 200);
  assert.equal(self.body.ts, RECORD.ts);
  const ops = await app.request("/drivers/d1/location", { headers: await bearer("ops", "o1") });
  assert.equal(ops.status, 200);
  await ops.body?.cancel();
  for (const [role, sub] of [["driver", "d2"], ["customer", "d1"], ["restaurant", "r1"]]) {
    const other = await answer(
      app.request("/drivers/d1/location", { headers: await bearer(role!, sub!) }),
    );
    assert.equal(other.status, 403, `${role} ${sub}`);
    assert.equal(other.body.error.code, "forbidden");
  }
});

Deno.test("GET /drivers/:id/location without a token is 401, for an unknown driver 404 location_not_found", async () => {
  const { app } = _app();
  const none = await answer(app.request("/drivers/d1/location"));
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, "token_missing");
  const unknown = await answer(
    app.request("/drivers/d9/location", { headers: await bearer("ops", "o") }),
  );
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "location_not_found");
});

Deno.test("GET /drivers/:id with a NUL in the id is 400 invalid_id and never reaches the store", async () => {
  const { app, looked } = _app();
  const res = await answer(
    app.request("/drivers/d%001/location", { headers: await bearer("ops", "o") }),
  );
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, "invalid_id");
  assert.deepEqual(looked, []);
  const bad = await answer(
    app.request("/drivers/%E0%A4%A/location", { headers: await bearer("ops", "o") }),
  );
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "invalid_id");
});

Deno.test("GET /drivers/:id/history accepts ISO 8601 and epoch ms for from and to", async () => {
  const { app, queries } = _app();
  const headers = await bearer("driver", "d1");
  const iso = await answer(
    app.request("/drivers/d1/history?from=2026-11-29T13:00:00Z&to=1795958700000&limit=5", {
      headers,
    }),
  );
  assert.equal(iso.status, 200, JSON.stringify(iso.body));
  assert.deepEqual(queries[0], { limit: 5, from: Date.UTC(2026, 10, 29, 13), to: 1795958700000 });
});

Deno.test("GET /drivers/:id/history refuses from in epoch seconds with 400 timestamp_not_ms", async () => {
  const { app, queries } = _app();
  const res = await answer(
    app.request("/drivers/d1/history?from=1795958700", { headers: await bearer("driver", "d1") }),
  );
  assert.equal(res.status, 400);
  assert.deepEqual(Object.keys(res.body.error).sort(), ["code", "field", "message"]);
  assert.equal(res.body.error.code, "timestamp_not_ms");
  assert.equal(res.body.error.field, "from");
  assert.match(res.body.error.message, /milliseconds/);
  assert.deepEqual(queries, []);
});

Deno.test("GET /drivers/:id/history refuses unreadable bounds and limits with 400 invalid_query", async () => {
  const { app } = _app();
  const headers = await bearer("driver", "d1");
  for (
    const [query, field] of [
      ["to=yesterday", "to"],
      ["limit=0", "limit"],
      ["after=x", "after"],
    ] as const
  ) {
    const res = await answer(app.request(`/drivers/d1/history?${query}`, { headers }));
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, "invalid_query", query);
    assert.equal(res.body.error.field, field, query);
    assert.doesNotMatch(res.body.error.message, /✖|Invalid input/);
  }
});

Deno.test("parseHistoryQuery refuses from after to", () => {
  assert.throws(
    () => parseHistoryQuery({ from: "2026-11-29", to: "2026-11-28" }),
    /from must not be after to/,
  );
  assert.deepEqual(parseHistoryQuery({}), { limit: 1000 });
});

Deno.test("GET /drivers/:id/location refuses ?token= (REST) with 401 token_in_query", async () => {
  const { app, looked } = _app();
  const header = (await bearer("ops", "o")).Authorization!.slice("Bearer ".length);
  const res = await answer(app.request(`/drivers/d1/location?token=${header}`));
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, "token_in_query");
  assert.deepEqual(looked, []);
});
