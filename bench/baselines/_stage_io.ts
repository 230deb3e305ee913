import { parseArgs } from "node:util";

/** What every baseline stage process reads from its command line. */
export interface StageArgs {
  /** port to listen on (0 = the OS chooses; stages without a server ignore it) */
  port: number;
  topic: string;
  brokers: string[];
  databaseUrl: string;
  /** consumer group (writers) */
  group: string;
  /** PostgreSQL table the writer inserts into (its own, created by the bench) */
  table: string;
}

/** Parses `--port --topic --brokers --database-url --group --table` of a stage process. */
export function parseStageArgs(args: string[]): StageArgs {
  const { values: v } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "0" },
      topic: { type: "string", default: "bench-floor" },
      brokers: { type: "string", default: "127.0.0.1:9092" },
      "database-url": {
        type: "string",
        default: "postgres://postgres@127.0.0.1:5432/test",
      },
      group: { type: "string", default: "bench-floor-writer" },
      table: { type: "string", default: "bench_floor_locations" },
    },
  });
  return {
    port: Number(v.port),
    topic: v.topic,
    brokers: v.brokers.split(","),
    databaseUrl: v["database-url"],
    group: v.group,
    table: v.table,
  };
}

/** Tells the bench on stdout that the stage is ready (one JSON line, then nothing else). */
export function announceReady(port?: number): void {
  console.log(JSON.stringify({ ready: true, ...(port === undefined ? {} : { port }) }));
}

/**
 * The `sub` claim of the `Authorization: Bearer` JWT (or `?token=`), decoded without checking
 * the signature: the baselines measure the data path, and the service checks a token once per
 * connection, which is not what either costs per fix.
 */
export function tokenSubject(req: Request): string | undefined {
  const auth = req.headers.get("authorization");
  const token = auth?.startsWith("Bearer ")
    ? auth.slice(7)
    : new URL(req.url).searchParams.get("token");
  const part = token?.split(".")[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves on SIGTERM or SIGINT, so a stage can close its clients and exit. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    Deno.addSignalListener("SIGTERM", () => resolve());
    Deno.addSignalListener("SIGINT", () => resolve());
  });
}

/** The row a baseline writer inserts, parsed from a record value. */
export interface StageRow {
  driverId: string;
  ts: number;
  lat: number;
  lon: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  receivedAt: number;
}

/** Parses a record value `{driverId, lat, lon, ts, speed?, ...}`; undefined when not a fix. */
export function parseRow(value: string | undefined | null): StageRow | undefined {
  if (!value) return undefined;
  try {
    const r = JSON.parse(value) as Record<string, unknown>;
    const opt = (x: unknown) => typeof x === "number" ? x : null;
    return typeof r.driverId === "string" && typeof r.ts === "number" &&
        typeof r.lat === "number" && typeof r.lon === "number"
      ? {
        driverId: r.driverId,
        ts: r.ts,
        lat: r.lat,
        lon: r.lon,
        speed: opt(r.speed),
        heading: opt(r.heading),
        accuracy: opt(r.accuracy),
        receivedAt: typeof r.receivedAt === "number" ? r.receivedAt : Date.now(),
      }
      : undefined;
  } catch {
    return undefined;
  }
}

/** `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING` of `rows` into `table`. */
export async function insertRows(
  sql: import("postgres").Sql,
  table: string,
  rows: StageRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof StageRow>(k: K) => rows.map((r) => r[k]);
  await sql`INSERT INTO ${sql(table)}
      (driver_id, ts, lat, lon, speed, heading, accuracy, received_at)
    SELECT * FROM unnest(${col("driverId")}::text[], ${col("ts")}::bigint[],
      ${col("lat")}::float8[], ${col("lon")}::float8[], ${col("speed")}::real[],
      ${col("heading")}::real[], ${col("accuracy")}::real[], ${col("receivedAt")}::bigint[])
    ON CONFLICT DO NOTHING`;
}
