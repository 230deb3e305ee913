import assert from "node:assert/strict";
import { workerCount } from "./worker_count.ts";

const PG = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" };

Deno.test("workerCount: one per core by default, --workers N when given", () => {
  assert.deepEqual(workerCount([], PG, 16), { workers: 16 });
  assert.deepEqual(workerCount(["--workers", "3"], PG, 16), { workers: 3 });
  assert.deepEqual(workerCount(["--workers=1"], PG, 16), { workers: 1 });
  assert.equal(workerCount(["--help"], PG, 16), "help");
});

Deno.test("workerCount: refuses a count that is not a whole number >= 1", () => {
  for (const bad of ["0", "-1", "1.5", "two", ""]) {
    assert.throws(
      () => workerCount([`--workers=${bad}`], PG, 2),
      /--workers must be a whole number/,
    );
  }
  assert.throws(() => workerCount(["--other"], PG, 2), /Unknown option/);
});

Deno.test("workerCount: without DATABASE_URL, N > 1 is refused and the default falls back to 1", () => {
  assert.throws(
    () => workerCount(["--workers", "2"], {}, 8),
    /^TypeError: --workers 2 needs DATABASE_URL/,
  );
  assert.deepEqual(workerCount(["--workers", "1"], {}, 8), { workers: 1 });
  const fallback = workerCount([], { DATABASE_URL: "" }, 8);
  assert.ok(fallback !== "help");
  assert.equal(fallback.workers, 1);
  assert.match(fallback.warning ?? "", /1 worker runs instead of 8/);
});

Deno.test("workerCount: several workers need a fixed port", () => {
  assert.throws(() => workerCount(["--workers", "2"], { ...PG, PORT: "0" }, 2), /fixed PORT/);
  assert.deepEqual(workerCount(["--workers", "1"], { ...PG, PORT: "0" }, 2), { workers: 1 });
});
