import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { parseHistoryQuery, parseTrackQuery } from "./history_query.ts";

/** Runs `parse` and returns the 400 body it throws. */
async function _refusal(parse: () => unknown): Promise<{ code: string; field?: string }> {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof HTTPException, String(error));
    assert.equal(error.status, 400);
    return (await error.getResponse().json()).error;
  }
  assert.fail("no refusal");
}

Deno.test("parseHistoryQuery and parseTrackQuery refuse an after that is not a safe integer or past a Date's range", async () => {
  for (const parse of [parseHistoryQuery, parseTrackQuery]) {
    for (const after of ["9999999999999999", "9007199254740993", "9007199254740991"]) {
      const error = await _refusal(() => parse({ after }));
      assert.deepEqual({ code: error.code, field: error.field }, {
        code: "invalid_query",
        field: "after",
      });
    }
    assert.equal(parse({ after: "8640000000000000" }).after, 8.64e15);
  }
});

Deno.test("parseHistoryQuery refuses from and to past the last time a Date holds", async () => {
  for (const field of ["from", "to"]) {
    for (const value of ["99999999999999999999", "9000000000000000", "8640000000000001"]) {
      const error = await _refusal(() => parseHistoryQuery({ [field]: value }));
      assert.deepEqual([error.code, error.field], ["invalid_query", field], `${field}=${value}`);
    }
  }
  assert.equal(parseHistoryQuery({ to: "8640000000000000" }).to, 8.64e15);
});

Deno.test("parseHistoryQuery and parseTrackQuery refuse a limit of 0, too many or too many digits", async () => {
  for (const parse of [parseHistoryQuery, parseTrackQuery]) {
    for (const limit of ["0", "100001", "9".repeat(400), "1e3"]) {
      const error = await _refusal(() => parse({ limit }));
      assert.deepEqual([error.code, error.field], ["invalid_query", "limit"], limit);
    }
  }
});
