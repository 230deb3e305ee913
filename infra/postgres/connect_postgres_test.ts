import assert from "node:assert/strict";
import { connectPostgres, POSTGRES_DEFAULTS } from "./connect_postgres.ts";

// Creating a pool opens no connection, so these need no server.

Deno.test("connectPostgres uses the default pool size", async () => {
  const sql = connectPostgres("postgres://postgres@127.0.0.1:1/none");
  assert.equal(sql.options.max, POSTGRES_DEFAULTS.max);
  await sql.end();
});

Deno.test("connectPostgres takes the pool size from the URL's max parameter as a number", async () => {
  const sql = connectPostgres("postgres://postgres@127.0.0.1:1/none?max=3");
  assert.equal(sql.options.max, 3);
  await sql.end();
});

Deno.test("connectPostgres prefers an explicit max over the URL", async () => {
  const sql = connectPostgres("postgres://postgres@127.0.0.1:1/none?max=1", { max: 4 });
  assert.equal(sql.options.max, 4);
  await sql.end();
});

Deno.test("connectPostgres rejects a pool size below one", () => {
  assert.throws(
    () => connectPostgres("postgres://postgres@127.0.0.1:1/none", { max: 0 }),
    RangeError,
  );
});
