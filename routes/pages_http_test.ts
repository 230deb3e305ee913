import assert from "node:assert/strict";
import { verify } from "hono/jwt";
import { apiDocsHttpRoute } from "./api_docs_http.ts";
import { pagesHttpRoute } from "./pages_http.ts";
import { contentSecurityPolicy, tileSource } from "./pages_http_headers.ts";

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

Deno.test("pages configuration carries the stale threshold and the service's clock", async () => {
  const app = pagesHttpRoute({ ...deps(DEV), staleAfterMs: 12_000 });
  const before = Date.now();
  const config = await (await app.request("/pages/config.json")).json();
  assert.equal(config.staleAfterMs, 12_000);
  assert.ok(config.serverNow >= before && config.serverNow <= Date.now());
  const fallback = await (await pagesHttpRoute(deps(DEV)).request("/pages/config.json")).json();
  assert.equal(fallback.staleAfterMs, 30_000);
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

const PAGE_PATHS = [
  "/",
  "/track/abc",
  "/restaurant/r-1",
  "/replay",
  "/pages/config.json",
  "/pages/common.js",
  "/pages/app.css",
  "/pages/icon.svg",
  "/assets/leaflet/leaflet.js",
  "/assets/leaflet/leaflet.css",
  "/assets/leaflet/images/marker-icon.png",
];

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

Deno.test("pages route sends CSP, Referrer-Policy and nosniff with every page and asset", async () => {
  const app = pagesHttpRoute({
    ...deps(DEV),
    tilesUrl: "https://{s}.tile.example.org/{z}/{x}/{y}.png",
  });
  for (const path of PAGE_PATHS) {
    const res = await app.request(`http://tracking.test:8000${path}`);
    await res.body?.cancel();
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer", path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    assert.equal(csp.get("default-src"), "'none'", path);
    assert.equal(csp.get("script-src"), "'self'", path);
    assert.equal(csp.get("style-src"), "'self'", path);
    assert.equal(csp.get("img-src"), "'self' data: https://*.tile.example.org", path);
    assert.equal(
      csp.get("connect-src"),
      "'self' ws://tracking.test:8000 wss://tracking.test:8000",
      path,
    );
    for (const name of ["object-src", "base-uri", "frame-ancestors", "form-action"]) {
      assert.equal(csp.get(name), "'none'", `${name} of ${path}`);
    }
  }
  const noTiles = await pagesHttpRoute(deps(DEV)).request("/");
  await noTiles.body?.cancel();
  assert.equal(
    directives(noTiles.headers.get("content-security-policy") ?? "").get("img-src"),
    "'self'",
  );
  const docs = await apiDocsHttpRoute({ dev: false }).request("/docs");
  await docs.body?.cancel();
  assert.equal(
    directives(docs.headers.get("content-security-policy") ?? "").get("script-src"),
    "'self'",
  );
  assert.equal(docs.headers.get("referrer-policy"), "no-referrer");
});

Deno.test("pages have no inline script, event handler or style; scripts come from the service", async () => {
  for (const name of ["fleet", "track", "restaurant", "replay", "api_docs"]) {
    const html = await Deno.readTextFile(new URL(`../pages/${name}.html`, import.meta.url));
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc="\/)/, `${name}: a script without src`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, `${name}: an inline event handler`);
    assert.doesNotMatch(html, /<style|\sstyle=/i, `${name}: inline style`);
  }
});

Deno.test("tileSource names the tiles' host for img-src, or only its scheme", () => {
  assert.equal(
    tileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "https://tile.openstreetmap.org",
  );
  assert.equal(
    tileSource("https://{s}.tile.example.org/{z}/{x}/{y}.png"),
    "https://*.tile.example.org",
  );
  assert.equal(tileSource("http://localhost:8080/{z}/{x}/{y}.png"), "http://localhost:8080");
  assert.equal(tileSource("https://a.{s}.example.org/{z}.png"), "https:");
  assert.equal(tileSource("https://x.org;script-src *"), "https:");
  assert.equal(tileSource("/tiles/{z}/{x}/{y}.png"), undefined);
  assert.equal(tileSource("none"), undefined);
  assert.equal(contentSecurityPolicy({ host: "evil; script-src *" }).includes("evil"), false);
});
