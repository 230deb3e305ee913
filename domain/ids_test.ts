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

Deno.test("idProblem refuses bidi controls, other format characters, private use, unassigned and noncharacters", () => {
  const cases: [string, string][] = [
    ["d\u202e1", "U+202E"], // RIGHT-TO-LEFT OVERRIDE (Cf): "d1‮gpj.exe" shows reversed
    ["d\u2066x\u2069", "U+2066"], // LEFT-TO-RIGHT ISOLATE (Cf)
    ["d\u200b1", "U+200B"], // ZERO WIDTH SPACE (Cf): looks like "d1"
    ["\ufeffd1", "U+FEFF"], // BOM (Cf)
    ["d\ue0001", "U+E000"], // private use (Co)
    ["d\u{F0000}", "U+F0000"], // supplementary private use (Co)
    ["d\u0378", "U+0378"], // unassigned (Cn)
    ["d\uffff", "U+FFFF"], // noncharacter
    ["d\ufdd0", "U+FDD0"], // noncharacter
    ["d\u{1FFFE}", "U+1FFFE"], // noncharacter
    ["d\u{10FFFF}", "U+10FFFF"], // noncharacter
  ];
  for (const [id, codePoint] of cases) {
    const problem = idProblem(id);
    assert.ok(problem, codePoint);
    assert.match(problem, /invisible|format|private|unassigned|noncharacter/, codePoint);
    assert.ok(problem.includes(codePoint), `${codePoint}: ${problem}`);
  }
  // Letters of any script, accents and emoji stay ids.
  for (const id of ["order_ü_東京", "d-🚚", "قائد-7", "é"]) {
    assert.equal(idProblem(id), undefined, id);
  }
});
