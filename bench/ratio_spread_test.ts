import assert from "node:assert/strict";
import { ratioSpread } from "./ratio_spread.ts";

Deno.test("ratioSpread: the middle of an odd count, and the range", () => {
  assert.deepEqual(ratioSpread([1.8, 1.59, 1.78]), { median: 1.78, min: 1.59, max: 1.8 });
});

Deno.test("ratioSpread: the mean of the two middle values of an even count, to two decimals", () => {
  assert.deepEqual(ratioSpread([1.5, 1.25, 1.4, 1.33]), { median: 1.37, min: 1.25, max: 1.5 });
});

Deno.test("ratioSpread leaves out rounds that measured nothing; none left is null", () => {
  assert.deepEqual(ratioSpread([null, 1.2]), { median: 1.2, min: 1.2, max: 1.2 });
  assert.equal(ratioSpread([null, null]), null);
});
