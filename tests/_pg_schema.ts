import { connectPostgres, type Sql } from "../infra/postgres/mod.ts";
import { DATABASE_URL } from "./_support.ts";

/**
 * Runs `fn` in a new schema of the test database, dropped afterwards, so tests are independent.
 * `connect(max)` opens a pool (default 2 connections) whose search_path is that schema.
 */
export async function withSchema(fn: (connect: (max?: number) => Sql) => Promise<void>) {
  const schema = `test_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = connectPostgres(DATABASE_URL, { max: 1 });
  const pools: Sql[] = [];
  try {
    await admin`CREATE SCHEMA ${admin(schema)}`;
    const url = new URL(DATABASE_URL);
    url.searchParams.set("search_path", schema);
    await fn((max = 2) => {
      const sql = connectPostgres(url.href, { max });
      pools.push(sql);
      return sql;
    });
  } finally {
    await Promise.all(pools.map((sql) => sql.end()));
    await admin`DROP SCHEMA IF EXISTS ${admin(schema)} CASCADE`;
    await admin.end();
  }
}
