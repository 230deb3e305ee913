import assert from "node:assert/strict";
import { Hono } from "hono";
import { sign } from "hono/jwt";
import { authenticate, type AuthEnv, REST_AUTH, ROLES, tokenRules } from "./auth.ts";

const SECRET = "auth-test-secret-0123456789abcdef-xyz";
const NOW = Math.floor(Date.now() / 1000);

function _app() {
  const app = new Hono<AuthEnv>();
  app.get("/me", authenticate(SECRET, ["driver", "ops"]), (c) => c.json(c.get("principal")));
  return app;
}

async function _token(claims: Record<string, unknown>, secret = SECRET) {
  return await sign(claims, secret, "HS256");
}

const good = { sub: "d1", role: "driver", exp: NOW + 600 };

/** Calls `/me` and returns the status, the error body and the challenge. */
async function _call(init: { token?: string; header?: string; query?: string; upgrade?: boolean }) {
  const headers: Record<string, string> = {};
  if (init.header !== undefined) headers.Authorization = init.header;
  else if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
  if (init.upgrade) headers.Upgrade = "websocket";
  const query = init.query === undefined ? "" : `?token=${encodeURIComponent(init.query)}`;
  const res = await _app().request(`/me${query}`, { headers });
  const body = await res.json();
  return { status: res.status, body, challenge: res.headers.get("WWW-Authenticate") };
}

async function _refused(init: Parameters<typeof _call>[0], code: string) {
  const r = await _call(init);
  assert.equal(r.status, 401, JSON.stringify(r.body));
  assert.equal(r.body.error.code, code);
  assert.ok(r.body.error.message.length > 0);
  return r;
}

Deno.test("authenticate accepts a valid bearer token and sets the principal", async () => {
  const r = await _call({ token: await _token(good) });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, good);
});

Deno.test("authenticate: no token is 401 token_missing with a bare Bearer challenge", async () => {
  const r = await _refused({}, "token_missing");
  assert.equal(r.challenge, 'Bearer realm="tracking"');
});

Deno.test("authenticate: ?token= on a REST request is 401 token_in_query", async () => {
  const r = await _refused({ query: await _token(good) }, "token_in_query");
  assert.match(r.challenge!, /error="invalid_request"/);
});

Deno.test("authenticate accepts ?token= on a WebSocket upgrade request", async () => {
  const r = await _call({ query: await _token(good), upgrade: true });
  assert.equal(r.status, 200);
});

Deno.test("authenticate: garbage and a non-Bearer header are 401 token_malformed", async () => {
  const r = await _refused({ token: "not.a.jwt" }, "token_malformed");
  assert.match(
    r.challenge!,
    /^Bearer realm="tracking", error="invalid_token", error_description="/,
  );
  await _refused({ header: "Basic dXNlcjpwYXNz" }, "token_malformed");
});

Deno.test("authenticate: another key's signature is 401 token_bad_signature", async () => {
  await _refused({ token: await _token(good, `${SECRET}-other`) }, "token_bad_signature");
});

Deno.test("authenticate: a forged expired token is token_bad_signature, not token_expired", async () => {
  const forged = await _token({ ...good, exp: NOW - 10 }, `${SECRET}-other`);
  await _refused({ token: forged }, "token_bad_signature");
});

Deno.test("authenticate: an expired token is 401 token_expired", async () => {
  const r = await _refused({ token: await _token({ ...good, exp: NOW - 1 }) }, "token_expired");
  assert.equal(r.body.error.field, "exp");
  assert.match(r.challenge!, /error="invalid_token"/);
});

Deno.test("authenticate: a token without exp is 401 token_no_expiry", async () => {
  await _refused({ token: await _token({ sub: "d1", role: "driver" }) }, "token_no_expiry");
});

Deno.test("authenticate: a token with nbf in the future is 401 token_not_yet_valid", async () => {
  await _refused({ token: await _token({ ...good, nbf: NOW + 300 }) }, "token_not_yet_valid");
});

Deno.test("authenticate: an unknown or missing role is 401 token_unknown_role", async () => {
  await _refused({ token: await _token({ ...good, role: "admin" }) }, "token_unknown_role");
  await _refused({ token: await _token({ sub: "d1", exp: NOW + 60 }) }, "token_unknown_role");
});

Deno.test("authenticate: a sub with a NUL byte, a missing sub, a string exp are token_bad_claims", async () => {
  const nul = await _refused(
    { token: await _token({ ...good, sub: "d\u00001" }) },
    "token_bad_claims",
  );
  assert.equal(nul.body.error.field, "sub");
  assert.match(nul.body.error.message, /control characters/);
  await _refused({ token: await _token({ role: "driver", exp: NOW + 60 }) }, "token_bad_claims");
  await _refused({ token: await _token({ ...good, exp: "tomorrow" }) }, "token_bad_claims");
});

Deno.test("authenticate: a valid token of another role is 403 forbidden", async () => {
  const res = await _app().request("/me", {
    headers: { Authorization: `Bearer ${await _token({ ...good, role: "customer" })}` },
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, "forbidden");
  assert.match(res.headers.get("WWW-Authenticate")!, /insufficient_scope/);
});

Deno.test("authenticate with REST_AUTH refuses ?token= even with an Upgrade header", async () => {
  const app = new Hono<AuthEnv>();
  app.get("/rest", authenticate(SECRET, ROLES, REST_AUTH), (c) => c.json({}));
  const token = await _token(good);
  const res = await app.request(`/rest?token=${token}`, { headers: { Upgrade: "websocket" } });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, "token_in_query");
});

Deno.test("authenticate with queryToken always accepts ?token= without an upgrade (pages)", async () => {
  const app = new Hono<AuthEnv>();
  app.get("/page", authenticate(SECRET, ROLES, { queryToken: "always" }), (c) => c.text("ok"));
  const res = await app.request(`/page?token=${await _token(good)}`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "ok");
});

Deno.test("authenticate: exp 1e300 or more than JWT_MAX_TTL_S ahead is 401 token_lifetime_too_long", async () => {
  const far = await _refused(
    { token: await _token({ ...good, exp: 1e300 }) },
    "token_lifetime_too_long",
  );
  assert.equal(far.body.error.field, "exp");
  const eightDays = NOW + 8 * 86_400;
  await _refused({ token: await _token({ ...good, exp: eightDays }) }, "token_lifetime_too_long");
  // With iat, the lifetime is exp - iat: issued a day ago for 7.5 days is too long.
  const long = { ...good, iat: NOW - 86_400, exp: NOW + 6.5 * 86_400 };
  await _refused({ token: await _token(long) }, "token_lifetime_too_long");
  const week = { ...good, iat: NOW, exp: NOW + 7 * 86_400 };
  assert.equal((await _call({ token: await _token(week) })).status, 200);
});

Deno.test("authenticate: iat more than 60 s ahead is 401 token_issued_in_future; a few seconds is skew", async () => {
  const future = { ...good, iat: NOW + 11 * 86_400, exp: NOW + 12 * 86_400 };
  const r = await _refused({ token: await _token(future) }, "token_issued_in_future");
  assert.equal(r.body.error.field, "iat");
  assert.equal((await _call({ token: await _token({ ...good, iat: NOW + 30 }) })).status, 200);
  await _refused({ token: await _token({ ...good, iat: "now" }) }, "token_bad_claims");
});

Deno.test("authenticate takes the lifetime limit from tokenRules (JWT_MAX_TTL_S) or its options", async () => {
  const token = await _token(good); // 600 s to live
  const viaContext = new Hono<AuthEnv>();
  viaContext.use("*", tokenRules({ maxTtlS: 300 }));
  viaContext.get("/me", authenticate(SECRET), (c) => c.json({}));
  const a = await viaContext.request("/me", { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(a.status, 401);
  assert.equal((await a.json()).error.code, "token_lifetime_too_long");
  const viaOptions = new Hono<AuthEnv>();
  viaOptions.get(
    "/me",
    authenticate(SECRET, ROLES, { rules: { maxTtlS: 300 } }),
    (c) => c.json({}),
  );
  const b = await viaOptions.request("/me", { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await b.json()).error.code, "token_lifetime_too_long");
});
