import assert from "node:assert/strict";
import { schemaVersionProblem } from "./record_schema_version.ts";

Deno.test("schemaVersionProblem reads a record without the header as version 1", () => {
  assert.equal(schemaVersionProblem(undefined, 1), undefined);
});

Deno.test("schemaVersionProblem lets a reader read its own version and older ones", () => {
  assert.equal(schemaVersionProblem("1", 1), undefined);
  assert.equal(schemaVersionProblem("1", 3), undefined);
  assert.equal(schemaVersionProblem("3", 3), undefined);
});

Deno.test("schemaVersionProblem refuses a newer version, naming both", () => {
  assert.equal(
    schemaVersionProblem("2", 1),
    "schema-version 2 is newer than 1, the newest this reader knows",
  );
  assert.match(schemaVersionProblem("123456789", 1)!, /schema-version 123456789 is newer/);
});

Deno.test("schemaVersionProblem refuses what is not a version", () => {
  for (const header of ["", "0", "01", "+1", " 1", "1.0", "-1", "v1", "1234567890", "١"]) {
    assert.match(schemaVersionProblem(header, 1)!, /is not a version/, JSON.stringify(header));
  }
  assert.equal(
    schemaVersionProblem("x".repeat(100), 1),
    `schema-version "${"x".repeat(40)}" is not a version`,
  );
});
