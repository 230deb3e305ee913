import postgres from "postgres";
import {
  DAY_MS,
  fillDaySql,
  type HistoryLayout,
  partitionDay,
  partitionName,
} from "./history_layout.ts";

/** The columns of `driver_locations` as in migration 001, without its primary key. */
const _COLUMNS = `driver_id text NOT NULL, seq bigint NOT NULL, ts bigint NOT NULL,
  lat double precision NOT NULL, lon double precision NOT NULL, speed real, heading real,
  accuracy real, region text NOT NULL, received_at bigint NOT NULL`;

/**
 * What the partitioned table's key INCLUDEs, as in migration 004 (index-only history reads); the
 * plain table keeps 001's key.
 */
export const COVERED_COLUMNS = "seq, lat, lon, speed, heading, accuracy, region, received_at";

/** Time spent building the tables, ms (all 0 when reused). */
export interface FillTimes {
  /** `INSERT ... SELECT generate_series`, one statement per day */
  fillMs: number;
  /** `ALTER TABLE ... ADD PRIMARY KEY (driver_id, ts)` after the fill */
  primaryKeyMs: number;
  /** `VACUUM (ANALYZE)` */
  vacuumMs: number;
  rows: number;
}

/** Opens a pool on `url` whose `search_path` is `schema` (when given). */
export function openPool(url: string, max: number, schema?: string): postgres.Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    ...(schema === undefined ? {} : { connection: { search_path: schema } }),
  });
}

/** Creates the database of `url` when it does not exist. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = openPool(admin.href, 1);
  try {
    const [row] = await sql`SELECT 1 AS x FROM pg_database WHERE datname = ${name}`;
    if (!row) await sql`CREATE DATABASE ${sql(name)}`;
  } finally {
    await sql.end();
  }
}

/** The layout a schema's table was filled with (a JSON table comment), if any. */
export async function storedLayout(
  sql: postgres.Sql,
  schema: string,
): Promise<HistoryLayout | undefined> {
  const [row] = await sql<{ c: string | null }[]>`
    SELECT obj_description(to_regclass(${schema + ".driver_locations"}), 'pg_class') AS c`;
  return row?.c ? JSON.parse(row.c) as HistoryLayout : undefined;
}

/**
 * Drops and creates `<schema>.driver_locations`, partitioned by UTC day or plain, fills it day by
 * day, adds the primary key, vacuums, and records the layout in the table's comment.
 */
export async function buildTable(
  sql: postgres.Sql,
  schema: string,
  partitioned: boolean,
  layout: HistoryLayout,
  progress: (line: string) => void,
): Promise<FillTimes> {
  const table = `${schema}.driver_locations`;
  await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
  await sql.unsafe(
    `CREATE TABLE ${table} (${_COLUMNS})${partitioned ? " PARTITION BY RANGE (ts)" : ""}`,
  );
  if (partitioned) {
    for (let day = 0; day < layout.days + 2; day++) {
      await createPartition(sql, schema, layout.firstDayMs + day * DAY_MS);
    }
  }
  let t = performance.now();
  let rows = 0;
  for (let day = 0; day < layout.days; day++) {
    rows += (await sql.unsafe(fillDaySql(table, layout, day))).count;
    if (day % 5 === 4 || day === layout.days - 1) {
      progress(`${schema}: ${day + 1}/${layout.days} days, ${rows} rows`);
    }
  }
  const fillMs = Math.round(performance.now() - t);
  t = performance.now();
  await sql.begin(async (tx) => {
    await tx.unsafe(`SET LOCAL maintenance_work_mem = '1GB'`);
    await tx.unsafe(
      `ALTER TABLE ${table} ADD PRIMARY KEY (driver_id, ts)${
        partitioned ? ` INCLUDE (${COVERED_COLUMNS})` : ""
      }`,
    );
  });
  const primaryKeyMs = Math.round(performance.now() - t);
  progress(`${schema}: primary key in ${(primaryKeyMs / 1000).toFixed(1)} s`);
  t = performance.now();
  await sql.unsafe(`VACUUM (ANALYZE) ${table}`);
  const vacuumMs = Math.round(performance.now() - t);
  await sql.unsafe(`COMMENT ON TABLE ${table} IS '${JSON.stringify(layout)}'`);
  return { fillMs, primaryKeyMs, vacuumMs, rows };
}

/** Creates the partition of the UTC day starting at `dayMs` unless it exists. */
export async function createPartition(
  sql: postgres.Sql,
  schema: string,
  dayMs: number,
): Promise<void> {
  await sql.unsafe(
    `CREATE TABLE IF NOT EXISTS ${schema}.${partitionName(dayMs)} PARTITION OF ` +
      `${schema}.driver_locations FOR VALUES FROM (${dayMs}) TO (${dayMs + DAY_MS})`,
  );
}

/** The day starts (epoch ms, ascending) of the partitions of `<schema>.driver_locations`. */
export async function partitionDays(sql: postgres.Sql, schema: string): Promise<number[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = to_regclass(${schema + ".driver_locations"})`;
  return rows.map((r) => partitionDay(r.name)).filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
}

/** Sizes of one table: heap (with TOAST) and indexes, bytes, summed over partitions. */
export interface TableSizes {
  partitions: number;
  tableBytes: number;
  indexBytes: number;
  /** largest single partition's index (the table's own for a plain table) */
  largestIndexBytes: number;
}

/** Sizes of `<schema>.driver_locations` from `pg_partition_tree`. */
export async function tableSizes(sql: postgres.Sql, schema: string): Promise<TableSizes> {
  const [row] = await sql<
    { partitions: number; table_bytes: string; index_bytes: string; largest: string }[]
  >`
    SELECT count(i.inhrelid)::int AS partitions,
      coalesce(sum(pg_table_size(relid)), 0)::text AS table_bytes,
      coalesce(sum(pg_indexes_size(relid)), 0)::text AS index_bytes,
      coalesce(max(pg_indexes_size(relid)), 0)::text AS largest
    FROM (SELECT relid FROM pg_partition_tree(${schema + ".driver_locations"}::regclass)
      WHERE isleaf UNION SELECT ${schema + ".driver_locations"}::regclass) AS t
    JOIN pg_class c ON c.oid = t.relid AND c.relkind = 'r'
    LEFT JOIN pg_inherits i ON i.inhrelid = t.relid`;
  return {
    partitions: row?.partitions ?? 0,
    tableBytes: Number(row?.table_bytes ?? 0),
    indexBytes: Number(row?.index_bytes ?? 0),
    largestIndexBytes: Number(row?.largest ?? 0),
  };
}

/** Drops the schemas (and everything in them). */
export async function dropSchemas(sql: postgres.Sql, schemas: string[]): Promise<void> {
  for (const s of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
}
