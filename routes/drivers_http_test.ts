import assert from "node:assert/strict";
import { lineString } from "@turf/helpers";
import { featureOf, getCoords } from "@turf/invariant";
import { DOMParser } from "@xmldom/xmldom";
import { gpx } from "@tmcw/togeojson";
import { driversHttpRoute, parseHistoryQuery } from "./drivers_http.ts";
import { answer, bearer, mounted, TEST_SECRET } from "./_route_testing.ts";
import type { HistoryQuery } from "../domain/history_store.ts";
import type { HistoryRange } from "../domain/history_store.ts";
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

/** The route's clock: a day after RECORD. */
const NOW = RECORD.ts + 86_400_000;

function _app(rows: LocationRecord[] = []) {
  const queries: HistoryQuery[] = [];
  const looked: string[] = [];
  const ranges: HistoryRange[] = [];
  const app = mounted(driversHttpRoute({
    secret: TEST_SECRET,
    store: {
      history: (_id, q) => (queries.push(q), Promise.resolve(rows.slice(0, q.limit))),
    },
    cursor: (_id, range) => (ranges.push(range), _batches([rows.slice(0, 2), rows.slice(2)])),
    latestPosition: (id) => (looked.push(id), Promise.resolve(id === "d1" ? RECORD : undefined)),
    now: () => NOW,
  }));
  return { app, queries, looked, ranges };
}

function _batches<T>(batches: T[][]): AsyncIterator<T[]> {
  const it = batches[Symbol.iterator]();
  return { next: () => Promise.resolve(it.next()) };
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
  const refusals = [
    ["driver", "d2", "a driver reads only its own location"],
    ["customer", "d1", "a customer may not read a driver's location (that driver and ops may)"],
    ["restaurant", "r1", "a restaurant may not read a driver's location (that driver and ops may)"],
  ];
  for (const [role, sub, message] of refusals) {
    const other = await answer(
      app.request("/drivers/d1/location", { headers: await bearer(role!, sub!) }),
    );
    assert.equal(other.status, 403, `${role} ${sub}`);
    assert.equal(other.body.error.code, "forbidden");
    assert.equal(other.body.error.message, message);
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

const ROWS: LocationRecord[] = [0, 1, 2, 3].map((i) => ({
  ...RECORD,
  seq: i + 1,
  ts: RECORD.ts + i * 1000,
  lat: 12.9 + i / 1000,
  lon: 77.6 + i / 1000,
}));

Deno.test("GET /drivers/:id/history?format=geojson is a LineString Feature that turf reads, times in properties", async () => {
  const { app } = _app(ROWS);
  const res = await app.request("/drivers/d1/history?format=geojson&limit=4", {
    headers: await bearer("driver", "d1"),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/geo+json");
  const feature = await res.json();
  featureOf(feature, "LineString", "history");
  const coords = getCoords(lineString(getCoords(feature), feature.properties));
  assert.deepEqual(coords, ROWS.map((r) => [r.lon, r.lat]));
  assert.deepEqual(feature.properties.times, ROWS.map((r) => r.ts));
  assert.equal(feature.properties.next, ROWS[3]!.ts, "a full page has a next cursor");
  assert.equal(
    res.headers.get("link"),
    `</drivers/d1/history?format=geojson&limit=4&after=${ROWS[3]!.ts}>; rel="next"`,
  );
});

Deno.test("GET /drivers/:id/history?format=gpx is GPX 1.1 that a GPX parser reads back", async () => {
  const { app } = _app(ROWS);
  const res = await app.request("/drivers/d1/history?format=gpx", {
    headers: await bearer("driver", "d1"),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/gpx\+xml/);
  const xml = new DOMParser().parseFromString(await res.text(), "application/xml");
  assert.equal(xml.documentElement?.getAttribute("version"), "1.1");
  const track = gpx(xml as unknown as Parameters<typeof gpx>[0]).features[0]!;
  assert.equal(track.geometry?.type, "LineString");
  // deno-lint-ignore no-explicit-any
  assert.deepEqual((track.geometry as any).coordinates, ROWS.map((r) => [r.lon, r.lat]));
  // deno-lint-ignore no-explicit-any
  const times = (track.properties as any).coordinateProperties.times as string[];
  assert.deepEqual(times.map((t) => Date.parse(t)), ROWS.map((r) => r.ts));
  const odd = await app.request(`/drivers/${encodeURIComponent("d&<'1")}/history?format=gpx`, {
    headers: await bearer("ops", "o1"),
  });
  const named = new DOMParser().parseFromString(await odd.text(), "application/xml");
  assert.equal(
    gpx(named as unknown as Parameters<typeof gpx>[0]).features[0]!.properties?.name,
    "driver d&<'1",
  );
});

Deno.test("GET /drivers/:id/history?stream=ndjson streams every fix of the cursor, one a line", async () => {
  const { app, ranges, queries } = _app(ROWS);
  const res = await app.request("/drivers/d1/history?stream=ndjson&from=2026-11-29T00:00:00Z", {
    headers: await bearer("ops", "o1"),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/x-ndjson");
  const lines = (await res.text()).split("\n");
  assert.equal(lines.pop(), "", "every line ends with a newline");
  assert.deepEqual(lines.map((l) => JSON.parse(l)), ROWS);
  assert.deepEqual(ranges, [{ from: Date.UTC(2026, 10, 29), to: undefined, after: undefined }]);
  assert.deepEqual(queries, [], "no page read");
});

Deno.test("GET /drivers/:id/history past the retention window: no points, a retention note, no read", async () => {
  const { app, queries, ranges } = _app(ROWS);
  const headers = await bearer("driver", "d1");
  const old = `to=${NOW - 31 * 86_400_000}`;
  const oldest = new Date(NOW - 30 * 86_400_000).toISOString();
  const json = await answer(app.request(`/drivers/d1/history?${old}`, { headers }));
  assert.equal(json.status, 200);
  assert.deepEqual(json.body, {
    driverId: "d1",
    points: [],
    next: null,
    retention: { days: 30, oldest },
  });
  const geo = await answer(app.request(`/drivers/d1/history?${old}&format=geojson`, { headers }));
  assert.equal(geo.body.geometry, null);
  assert.deepEqual(geo.body.properties.retention, { days: 30, oldest });
  const gpxText = await (await app.request(`/drivers/d1/history?${old}&format=gpx`, { headers }))
    .text();
  assert.match(gpxText, new RegExp(`<desc>Fixes older than ${oldest} are not kept`));
  const nd = await app.request(`/drivers/d1/history?${old}&stream=ndjson`, { headers });
  assert.equal(nd.headers.get("x-history-retention"), `days=30, oldest=${oldest}`);
  assert.equal(await nd.text(), "");
  assert.deepEqual([queries, ranges], [[], []]);
});

Deno.test("GET /drivers/:id/history refuses an unknown format, and a format with stream", async () => {
  const { app } = _app(ROWS);
  const headers = await bearer("driver", "d1");
  const cases = [
    ["format=kml", "format"],
    ["stream=csv", "stream"],
    ["stream=ndjson&format=gpx", "format"],
  ] as const;
  for (const [query, field] of cases) {
    const res = await answer(app.request(`/drivers/d1/history?${query}`, { headers }));
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, "invalid_query", query);
    assert.equal(res.body.error.field, field, query);
    assert.doesNotMatch(res.body.error.message, /✖|Invalid input/);
  }
});

Deno.test("GET /drivers/:id/history?stream=ndjson: a driver's third open stream gets 429 too_many_streams and Retry-After, and opens no cursor", async () => {
  const { app, ranges } = _app(ROWS);
  const url = "/drivers/d1/history?stream=ndjson&from=2026-11-29T00:00:00Z";
  const driver = await bearer("driver", "d1");
  const open = [
    await app.request(url, { headers: driver }),
    await app.request(url, { headers: driver }),
  ];
  assert.deepEqual(open.map((r) => r.status), [200, 200]);
  const third = await answer(app.request(url, { headers: driver }));
  assert.equal(third.status, 429);
  assert.equal(third.headers.get("retry-after"), "5");
  assert.equal(third.body.error.code, "too_many_streams");
  assert.equal(ranges.length, 2, "the refused stream opened no cursor");
  const ops = await app.request(url, { headers: await bearer("ops", "o1") });
  assert.equal(ops.status, 200, "another principal still gets one");
  await ops.body?.cancel();
  await open[0]!.body?.cancel();
  const after = await app.request(url, { headers: driver });
  assert.equal(after.status, 200, "a cancelled stream gives its place back");
  await Promise.all([after, open[1]!].map((r) => r.body?.cancel()));
});
