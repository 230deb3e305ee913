import assert from "node:assert/strict";
import { readMigrations, sortMigrationNames } from "./read_migrations.ts";

Deno.test("sortMigrationNames orders by number, not by text", () => {
  assert.deepEqual(
    sortMigrationNames(["010_b.sql", "002_a.sql", "1000_c.sql"]),
    ["002_a.sql", "010_b.sql", "1000_c.sql"],
  );
});

Deno.test("sortMigrationNames rejects a repeated number", () => {
  assert.throws(() => sortMigrationNames(["001_a.sql", "001_b.sql"]), RangeError);
});

Deno.test("sortMigrationNames rejects a name without a number", () => {
  assert.throws(() => sortMigrationNames(["init.sql"]), RangeError);
});

Deno.test("readMigrations reads the shipped files in order, starting with driver_locations", async () => {
  const migrations = await readMigrations();
  assert.equal(migrations[0]?.name, "001_driver_locations.sql");
  assert.match(migrations[0]?.sql ?? "", /CREATE TABLE driver_locations/);
});

Deno.test("readMigrations ignores files that are not NNN_name.sql", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/002_second.sql`, "SELECT 2;");
    await Deno.writeTextFile(`${dir}/001_first.sql`, "SELECT 1;");
    await Deno.writeTextFile(`${dir}/README.md`, "notes");
    const migrations = await readMigrations(new URL(`file://${dir}/`));
    assert.deepEqual(migrations, [
      { name: "001_first.sql", sql: "SELECT 1;" },
      { name: "002_second.sql", sql: "SELECT 2;" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
