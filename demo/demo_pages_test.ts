import assert from "node:assert/strict";
import { verify } from "hono/jwt";
import { demoPageUrls } from "./demo_pages.ts";
import { JwtSigner } from "../sim/jwt_signer.ts";

const SECRET = "demo-pages-test-secret-0123456789abcdef";

Deno.test("demoPageUrls gives each page a token of the role it needs, signed with the service's secret", async () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const urls = await demoPageUrls("http://localhost:8000", {
    signer: new JwtSigner(SECRET),
    exp,
    order: { id: "o 1", restaurantId: "r1", customerId: "c1", driverId: "d1" },
    opsId: "demo-ops",
  });
  const claims = async (href: string) =>
    await verify(new URL(href).searchParams.get("token")!, SECRET, "HS256");
  assert.equal(new URL(urls.fleet).pathname, "/");
  assert.deepEqual(await claims(urls.fleet), { sub: "demo-ops", role: "ops", exp });
  assert.equal(new URL(urls.track).pathname, "/track/o%201");
  assert.deepEqual(await claims(urls.track), { sub: "c1", role: "customer", exp });
  assert.equal(new URL(urls.restaurant).pathname, "/restaurant/r1");
  assert.deepEqual(await claims(urls.restaurant), { sub: "r1", role: "restaurant", exp });
  assert.equal(new URL(urls.replay).pathname, "/replay");
  assert.equal(new URL(urls.replay).searchParams.get("driver"), "d1");
  assert.deepEqual(await claims(urls.replay), { sub: "demo-ops", role: "ops", exp });
  await assert.rejects(
    verify(new URL(urls.fleet).searchParams.get("token")!, "x".repeat(40), "HS256"),
  );
});
