import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, runId, testConfig } from "./_support.ts";
import { assertReal, historyRows, type PhoneRow, registerDevice } from "./_phones.ts";

// Each phone app's request exactly as its public source builds it (Traccar server's
// OsmAndProtocolDecoder, Traccar Client's ProtocolFormatter and RequestManager, the Transistorsoft
// location of Traccar Client 9, GPSLogger's CustomUrlManager), on the real service: the rows
// stored in PostgreSQL have the service's units (m/s, epoch ms), in ts order with growing seq,
// exactly once though every request is sent twice (the app's retry after a lost 200).

const KN = 1852 / 3600;

/** Sends `request` twice (a retry of the same request): both answers must be 200. */
async function twice(url: string, init: RequestInit = {}): Promise<void> {
  for (const attempt of [1, 2]) {
    const res = await fetch(url, init);
    const text = await res.text();
    assert.equal(res.status, 200, `attempt ${attempt}: ${res.status} ${text}`);
    assert.equal(res.headers.get("X-Fixes-Refused"), null, "no fix refused for good");
  }
}

function expectRow(row: PhoneRow, want: Omit<PhoneRow, "seq">, what: string): void {
  assert.equal(row.ts, want.ts, `${what}: ts`);
  assert.equal(row.lat, want.lat, `${what}: lat`);
  assert.equal(row.lon, want.lon, `${what}: lon`);
  assertReal(row.speed, want.speed, `${what}: speed`);
  assertReal(row.heading, want.heading, `${what}: heading`);
  assertReal(row.accuracy, want.accuracy, `${what}: accuracy`);
}

Deno.test("phones: each app's request is stored in the service's units, in order, once across a retry", async (t) => {
  const run = runId();
  const service = await startService(testConfig(run, { OSMAND_PORT: "0" }));
  const base = `http://127.0.0.1:${service.port}`;
  const phonePort = `http://127.0.0.1:${service.osmandPort}`;
  const sql = connectPostgres(DATABASE_URL);
  const s = Math.floor(Date.now() / 1000) - 600; // ten minutes ago, in seconds
  try {
    await t.step(
      "Traccar Client 9: a Transistorsoft location as JSON, speed in m/s, ISO time",
      async () => {
        const driver = `tc9-${run}`;
        const { key } = await registerDevice(base, driver);
        const body = {
          location: {
            timestamp: new Date(s * 1000 + 250).toISOString(),
            coords: {
              latitude: 12.9716,
              longitude: 77.5946,
              accuracy: 4.5,
              speed: 8.25,
              heading: 93.5,
              altitude: 920,
            },
            is_moving: true,
            odometer: 1234.5,
            event: "motionchange",
            battery: { level: 0.64, is_charging: false },
            activity: { type: "in_vehicle" },
            extras: {},
          },
          device_id: key,
        };
        await twice(`${phonePort}/`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        const [row] = await historyRows(sql, driver, 1);
        expectRow(row!, {
          ts: s * 1000 + 250,
          lat: 12.9716,
          lon: 77.5946,
          speed: 8.25,
          heading: 93.5,
          accuracy: 4.5,
        }, "tc9");
      },
    );

    await t.step(
      "Traccar Client 10: one fix as a form POST, speed in knots, Unix seconds",
      async () => {
        const driver = `tc10f-${run}`;
        const { key } = await registerDevice(base, driver);
        const form = new URLSearchParams({
          id: key,
          timestamp: String(s + 10),
          lat: "12.9720",
          lon: "77.5950",
          speed: "10.0",
          bearing: "180.0",
          altitude: "921.0",
          accuracy: "3.0",
          batt: "63.0",
          charge: "false",
        });
        await twice(`${phonePort}/`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: form.toString(),
        });
        const [row] = await historyRows(sql, driver, 1);
        expectRow(row!, {
          ts: (s + 10) * 1000,
          lat: 12.972,
          lon: 77.595,
          speed: 10 * KN,
          heading: 180,
          accuracy: 3,
        }, "tc10 form");
      },
    );

    await t.step(
      "Traccar Client 10: a JSON array of flat fixes (its offline buffer), out of order",
      async () => {
        const driver = `tc10j-${run}`;
        const { key } = await registerDevice(base, driver);
        const fix = (i: number) => ({
          id: key,
          timestamp: s + 20 + i,
          lat: 12.97 + i / 10_000,
          lon: 77.59,
          speed: 2 * i,
          bearing: 45,
          altitude: 900,
          accuracy: 5,
          batt: 60,
          charge: true,
        });
        await twice(`${phonePort}/`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify([fix(2), fix(0), fix(1)]),
        });
        const rows = await historyRows(sql, driver, 3);
        rows.forEach((row, i) =>
          expectRow(row, {
            ts: (s + 20 + i) * 1000,
            lat: 12.97 + i / 10_000,
            lon: 77.59,
            speed: 2 * i * KN,
            heading: 45,
            accuracy: 5,
          }, `tc10 batch ${i}`)
        );
        assert.ok(rows[0]!.seq < rows[1]!.seq && rows[1]!.seq < rows[2]!.seq, "seq grows with ts");
      },
    );

    await t.step(
      "OsmAnd: a GET with its {0}..{6} placeholders, time in ms, spd in m/s",
      async () => {
        const driver = `osmand-${run}`;
        const { key } = await registerDevice(base, driver);
        const ms = (s + 30) * 1000 + 123;
        await twice(
          `${phonePort}/?id=${key}&lat=12.98&lon=77.6&timestamp=${ms}&hdop=1.2&altitude=905.5&spd=6.5&bearing=270.0`,
        );
        const [row] = await historyRows(sql, driver, 1);
        expectRow(
          row!,
          { ts: ms, lat: 12.98, lon: 77.6, speed: 6.5, heading: 270, accuracy: null },
          "osmand",
        );
      },
    );

    await t.step(
      "Traccar Client (legacy): the query string POSTed to /osmand with an empty body",
      async () => {
        const driver = `legacy-${run}`;
        const { key } = await registerDevice(base, driver);
        const query = `id=${key}&timestamp=${
          s + 40
        }&lat=12.99&lon=77.61&speed=0.0&bearing=0.0&altitude=0.0&accuracy=12.0&batt=80.0`;
        await twice(`${base}/osmand?${query}`, { method: "POST" });
        const [row] = await historyRows(sql, driver, 1);
        expectRow(row!, {
          ts: (s + 40) * 1000,
          lat: 12.99,
          lon: 77.61,
          speed: 0,
          heading: 0,
          accuracy: 12,
        }, "legacy");
      },
    );

    await t.step(
      "GPSLogger: its custom URL (Java number text, ISO %TIME), GET on /osmand",
      async () => {
        const driver = `gpslogger-${run}`;
        const { key } = await registerDevice(base, driver);
        const time = new Date((s + 50) * 1000).toISOString();
        await twice(
          `${base}/osmand?id=${key}&lat=12.9&lon=1.0E-4&timestamp=${time}&spd=3.5&dir=12.5&acc=8.0&batt=55.0&alt=899.0`,
        );
        const [row] = await historyRows(sql, driver, 1);
        expectRow(row!, {
          ts: (s + 50) * 1000,
          lat: 12.9,
          lon: 0.0001,
          speed: 3.5,
          heading: 12.5,
          accuracy: 8,
        }, "gpslogger");
      },
    );
  } finally {
    await sql.end();
    await service.close();
    await cleanupRun(run);
  }
});
