import assert from "node:assert/strict";
import { isConnectionLoss } from "./connection_loss.ts";

Deno.test("isConnectionLoss: a lost or refused connection, by its code", () => {
  for (const code of ["ECONNRESET", "EPIPE", "CONNECTION_ENDED", "57P01"]) {
    assert.equal(isConnectionLoss(Object.assign(new Error("x"), { code })), true, code);
  }
});

Deno.test("isConnectionLoss: anything else is not one", () => {
  assert.equal(isConnectionLoss(new Error("read ECONNRESET")), false, "a message is not a code");
  assert.equal(isConnectionLoss(Object.assign(new Error("x"), { code: "23505" })), false);
  assert.equal(isConnectionLoss(new TypeError("bug")), false);
  assert.equal(isConnectionLoss(undefined), false);
  assert.equal(isConnectionLoss(null), false);
  assert.equal(isConnectionLoss("ECONNRESET"), false);
});
