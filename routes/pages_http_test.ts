import assert from "node:assert/strict";
import { verify } from "hono/jwt";
import { pagesHttpRoute } from "./pages_http.ts";

const DEV = "dev-secret-change-me";
const deps = (secret: string) => ({
  secret,
  devSecret: DEV,
  tilesUrl: "none",
  tilesAttribution: "x",
  regions: [{ name: "north", partition: 0, bbox: [77.45, 12.97, 77.75, 13.15] as const }],
});

Deno.test("pages route gives a dev token only while the service runs with the dev secret", async () => {
  const dev = pagesHttpRoute(deps(DEV));
  const res = await dev.request("/dev/token", {
    method: "POST",
    body: JSON.stringify({ role: "ops", sub: "ops-1" }),
  });
  assert.equal(res.status, 200);
  const claims = await verify((await res.json()).token, DEV, "HS256");
  assert.equal(claims.role, "ops");
  assert.equal(claims.sub, "ops-1");
  assert.equal((await (await dev.request("/pages/config.json")).json()).devSignIn, true);

  const real = pagesHttpRoute(deps("a-real-secret-set-by-ops"));
  const refused = await real.request("/dev/token", {
    method: "POST",
    body: JSON.stringify({ role: "ops", sub: "ops-1" }),
  });
  assert.equal(refused.status, 404);
  assert.equal((await (await real.request("/pages/config.json")).json()).devSignIn, false);
});

Deno.test("pages route refuses a dev token for an unknown role", async () => {
  const res = await pagesHttpRoute(deps(DEV)).request("/dev/token", {
    method: "POST",
    body: JSON.stringify({ role: "admin", sub: "x" }),
  });
  assert.equal(res.status, 400);
});

Deno.test("pages route serves pages and Leaflet from the npm package, nothing else", async () => {
  const app = pagesHttpRoute(deps(DEV));
  const track = await app.request("/track/abc");
  assert.equal(track.status, 200);
  assert.match(await track.text(), /\/pages\/track\.js/);
  const leaflet = await app.request("/assets/leaflet/leaflet.js");
  assert.equal(leaflet.status, 200);
  assert.match(await leaflet.text(), /Leaflet 1\.9\.4/);
  assert.equal((await app.request("/assets/leaflet/../package.json")).status, 404);
  assert.equal((await app.request("/pages/..%2Fdeno.json")).status, 404);
});
