import assert from "node:assert/strict";
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { accessLog } from "./access_log.ts";
import { handleApiErrors } from "./error_handling.ts";
import { configureLogging, type LogLevelName, resetLogging } from "../lib/log_setup.ts";

/** An app with the access log and a few routes; the clock moves 12.34 ms per request. */
function app(): Hono {
  let t = 0;
  const app = new Hono();
  app.use("*", accessLog({ now: () => (t += 12.34) }));
  app.get("/orders/:id", (c) => c.json({ id: c.req.param("id") }));
  app.get("/healthz", (c) => c.text("ok"));
  app.all(
    "/osmand",
    (c) => c.req.query("id") ? c.body(null, 200) : c.json({ error: "no id" }, 400),
  );
  app.get("/boom", () => {
    throw new Error("kaput");
  });
  handleApiErrors(app, { log: () => {} });
  return app;
}

async function logged(level: LogLevelName, path: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  configureLogging({ level, write: (line) => lines.push(line) });
  try {
    await app().request(path);
  } finally {
    resetLogging();
  }
  return lines.map((l) => JSON.parse(l));
}

Deno.test("accessLog logs method, path, status, duration and route, without the query string", async () => {
  const lines = await logged("info", "/orders/o-1?token=eyJhbGciOiJIUzI1NiJ9.secret.sig");
  assert.equal(lines.length, 1);
  const { time: _, ...line } = lines[0]!;
  assert.deepEqual(line, {
    level: "info",
    logger: "tracking.http",
    message: "request",
    method: "GET",
    path: "/orders/o-1",
    status: 200,
    durationMs: 12.3,
    route: "/orders/:id",
  });
  assert.doesNotMatch(JSON.stringify(lines), /token|eyJ|secret/);
});

Deno.test("accessLog logs an unknown path with its status and no route", async () => {
  const [line] = await logged("info", "/nowhere");
  assert.equal(line!.status, 404);
  assert.equal(line!.route, undefined);
});

Deno.test("accessLog logs a server error at warn with status 500", async () => {
  const [line] = await logged("info", "/boom");
  assert.equal(line!.level, "warn");
  assert.equal(line!.status, 500);
});

Deno.test("accessLog logs /healthz at debug only", async () => {
  assert.deepEqual(await logged("info", "/healthz"), []);
  const [line] = await logged("debug", "/healthz");
  assert.equal(line!.level, "debug");
  assert.equal(line!.path, "/healthz");
});

Deno.test("accessLog logs an answered phone fix (/osmand 2xx) at debug only, a refused one at info", async () => {
  assert.deepEqual(await logged("info", "/osmand?id=k&lat=1&lon=2"), []);
  const [line] = await logged("debug", "/osmand?id=k&lat=1&lon=2");
  assert.equal(line!.level, "debug");
  const [refused] = await logged("info", "/osmand");
  assert.equal(refused!.level, "info");
  assert.equal(refused!.status, 400);
});

Deno.test("accessLog logs a WebSocket upgrade with status 101 and its route, without the token", async () => {
  const lines: string[] = [];
  configureLogging({ write: (line) => lines.push(line) });
  const app = new Hono();
  app.use("*", accessLog());
  let closed!: () => void;
  const serverClosed = new Promise<void>((resolve) => closed = resolve);
  app.get("/ws/things/:id", upgradeWebSocket(() => ({ onClose: () => closed() })));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/ws/things/t-1?token=abc.def.ghi`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const clientClosed = new Promise((resolve) => ws.onclose = resolve);
    ws.close();
    await Promise.all([clientClosed, serverClosed]);
  } finally {
    await server.shutdown();
    resetLogging();
  }
  const parsed = lines.map((l) => JSON.parse(l));
  assert.equal(parsed.length, 1, lines.join(""));
  assert.equal(parsed[0].status, 101);
  assert.equal(parsed[0].path, "/ws/things/t-1");
  assert.equal(parsed[0].route, "/ws/things/:id");
  assert.doesNotMatch(lines[0]!, /token|abc\.def/);
});

Deno.test("accessLog writes ESC, C1, DEL, newline and bidi controls of a path escaped, in both formats", async () => {
  // ESC [31m, CSI (U+009B) 2J, DEL, a newline and RIGHT-TO-LEFT OVERRIDE (U+202E).
  const raw = "/x%1B[31mred%C2%9B2J%7F%0Afake%E2%80%AEtxt";
  const decoded = "/x\x1b[31mred\u009b2J\x7f\nfake\u202etxt";
  const unsafe = /[\p{Cc}\u202e]/u;
  for (const format of ["json", "pretty"] as const) {
    const lines: string[] = [];
    configureLogging({ format, write: (line) => lines.push(line) });
    try {
      await app().request(raw);
    } finally {
      resetLogging();
    }
    assert.equal(lines.length, 1, format);
    const line = lines[0]!.slice(0, -1);
    assert.doesNotMatch(line, unsafe, `${format}: ${JSON.stringify(line)}`);
    assert.match(line, /\\u001b\[31mred\\u009b2J\\u007f\\nfake\\u202etxt/, format);
    if (format === "json") assert.equal(JSON.parse(line).path, decoded);
  }
});
