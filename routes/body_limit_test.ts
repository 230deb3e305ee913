import assert from "node:assert/strict";
import { Hono } from "hono";
import { bodyLimit } from "./body_limit.ts";
import { Metrics } from "../infra/metrics.ts";

function _app(maxBytes: number) {
  const app = new Hono();
  app.use("*", bodyLimit(maxBytes));
  app.post("/echo", async (c) => c.json({ length: (await c.req.text()).length }));
  app.get("/plain", (c) => c.json({ ok: true }));
  return app;
}

/** A body without Content-Length, sent in `chunks` pieces of `size` bytes. */
function _chunked(
  chunks: number,
  size: number,
): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent += 1;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

Deno.test("bodyLimit refuses a declared Content-Length over the limit with 413 body_too_large", async () => {
  // The declared length alone decides: the body is never read.
  const { stream, pulled } = _chunked(1, 101);
  const req = new Request("http://x/echo", {
    method: "POST",
    body: stream,
    headers: { "content-length": "101" },
    duplex: "half",
  } as RequestInit);
  const res = await _app(100).request(req);
  assert.equal(pulled(), 0);
  await stream.cancel();
  assert.equal(res.status, 413);
  const body = await res.json();
  assert.equal(body.error.code, "body_too_large");
  assert.match(body.error.message, /100 bytes/);
});

Deno.test("bodyLimit passes a body at the limit to the handler", async () => {
  const res = await _app(100).request("/echo", {
    method: "POST",
    body: "x".repeat(100),
    headers: { "content-length": "100" },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { length: 100 });
});

Deno.test("bodyLimit stops reading a chunked body without Content-Length once it passes the limit", async () => {
  const { stream, pulled } = _chunked(1_000, 1024);
  const req = new Request(
    "http://x/echo",
    { method: "POST", body: stream, duplex: "half" } as RequestInit,
  );
  assert.equal(req.headers.get("content-length"), null);
  const res = await _app(4096).request(req);
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, "body_too_large");
  assert.ok(pulled() <= 5, `read ${pulled()} KiB chunks of 1,000 before refusing`);
  await stream.cancel().catch(() => {});
});

Deno.test("bodyLimit passes a small chunked body to the handler", async () => {
  const { stream } = _chunked(3, 1024);
  const req = new Request(
    "http://x/echo",
    { method: "POST", body: stream, duplex: "half" } as RequestInit,
  );
  const res = await _app(4096).request(req);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { length: 3072 });
});

Deno.test("bodyLimit lets a request without a body through", async () => {
  const res = await _app(0).request("/plain");
  assert.equal(res.status, 200);
});

Deno.test("bodyLimit refuses a negative or non-finite limit with a RangeError", () => {
  assert.throws(() => bodyLimit(-1), RangeError);
  assert.throws(() => bodyLimit(Number.NaN), RangeError);
});

Deno.test("bodyLimit counts refusals as body_too_large in tracking_limit_refusals_total", async () => {
  const metrics = new Metrics();
  const app = new Hono();
  app.use("*", bodyLimit(10, { metrics }));
  app.post("/echo", (c) => c.text("ok"));
  const res = await app.request("/echo", {
    method: "POST",
    body: "x".repeat(11),
    headers: { "content-length": "11" },
  });
  assert.equal(res.status, 413);
  await res.body?.cancel();
  assert.match(
    await metrics.render(),
    /tracking_limit_refusals_total\{reason="body_too_large"\} 1/,
  );
});
