import assert from "node:assert/strict";
import { JwtSigner } from "./jwt_signer.ts";

Deno.test("JwtSigner reproduces the reference HS256 token from RFC 7519 tooling", async () => {
  const token = await new JwtSigner("your-256-bit-secret").sign({
    sub: "1234567890",
    name: "John Doe",
    iat: 1516239022,
  });
  assert.equal(
    token,
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." +
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  );
});

Deno.test("JwtSigner puts driver claims in a base64url payload", async () => {
  const token = await new JwtSigner("s").sign({ sub: "sim-1", role: "driver", exp: 2000000000 });
  const payload = token.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  assert.deepEqual(JSON.parse(json), { sub: "sim-1", role: "driver", exp: 2000000000 });
});
