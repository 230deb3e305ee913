import assert from "node:assert/strict";
import { ID_MAX_CHARS, idProblem, idSchema } from "./ids.ts";

Deno.test("idProblem accepts ordinary ids, unicode included", () => {
  for (const id of ["d1", "rest-42", "order_ü_東京", "a".repeat(ID_MAX_CHARS)]) {
    assert.equal(idProblem(id), undefined, id);
  }
});

Deno.test("idProblem refuses NUL, other control characters, empty, too long and non-strings", () => {
  assert.match(idProblem("d\u0000")!, /control/);
  assert.match(idProblem("d\n1")!, /control/);
  assert.match(idProblem("d\u007f")!, /control/);
  assert.match(idProblem("d\u0085")!, /control/);
  assert.match(idProblem("")!, /empty/);
  assert.match(idProblem("a".repeat(ID_MAX_CHARS + 1))!, /at most 128/);
  assert.match(idProblem("\ud800")!, /surrogate/);
  assert.match(idProblem(7)!, /string/);
});

Deno.test("idSchema refuses what idProblem refuses, with its message", () => {
  assert.equal(idSchema.safeParse("d1").success, true);
  const bad = idSchema.safeParse("x\u0000");
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0]!.message, /control/);
});
