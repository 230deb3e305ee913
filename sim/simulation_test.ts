import assert from "node:assert/strict";
import { runSimulation } from "./simulation.ts";
import { isPhone } from "./simulation_options.ts";

// A stub of the service's /ws/driver contract: checks the bearer token's shape, acks the
// newest fix every 100 ms (none before `ackFromMs` after it started) and rejects one frame in ten
// with an error frame.
function stub(ackFromMs = 0) {
  const started = performance.now();
  const auth = new Set<string>();
  let n = 0;
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    (req) => {
      const h = req.headers.get("authorization") ?? "";
      if (!/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(h)) return new Response("no", { status: 401 });
      auth.add(JSON.parse(atob(h.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).sub);
      const { socket, response } = Deno.upgradeWebSocket(req);
      let newest = 0;
      let timer: ReturnType<typeof setInterval> | undefined;
      socket.onopen = () => {
        timer = setInterval(
          () =>
            newest && performance.now() - started >= ackFromMs &&
            socket.send(JSON.stringify({ type: "ack", ts: newest })),
          100,
        );
      };
      socket.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (++n % 10 === 0) {
          socket.send(
            JSON.stringify({ type: "error", code: "stub_reject", message: "x" }),
          );
        } else newest = Math.max(newest, m.ts);
      };
      socket.onclose = () => clearInterval(timer);
      return response;
    },
  );
  return { server, auth, stop: async () => (ac.abort(), await server.finished) };
}

/** 20 drivers sending every 200 ms (100 fixes/s) to the stub, draining for 1 s at the end. */
function _twentyDrivers(
  s: ReturnType<typeof stub>,
  o: { durationS: number; rampUpS: number; prefix: string },
) {
  const url = `http://127.0.0.1:${s.server.addr.port}`;
  return runSimulation({ drivers: 20, intervalMs: 200, drainS: 1, url, ...o });
}

Deno.test("runSimulation connects every driver, sends at the interval and counts acks and errors", async () => {
  const s = stub();
  try {
    const r = await _twentyDrivers(s, { durationS: 1.5, rampUpS: 0.3, prefix: "t" });
    assert.equal(r.peakOpen, 20);
    assert.equal(s.auth.size, 20);
    assert.ok(s.auth.has("t-0") && s.auth.has("t-19"));
    const rate = r.window.sent / r.window.seconds;
    assert.ok(rate > 60 && rate < 130, `sent ${rate}/s, offered 100/s`);
    assert.ok(r.counters.acked > 0 && r.counters.acked <= r.counters.sent);
    assert.ok((r.counters.errors["stub_reject"] ?? 0) > 0);
    // Only fixes sent in the steady window count for latency; the ramp-up's do not.
    assert.ok(r.ackHistogram.count > 0 && r.ackHistogram.count <= r.counters.acked);
    assert.ok(r.ackHistogram.count <= r.window.sent, "no latency from before the window");
    assert.equal(r.counters.open, 0, "every socket is closed at the end");
  } finally {
    await s.stop();
  }
});

Deno.test("runSimulation opens the steady window only once the ramp's fixes are acked", async () => {
  // A service still working off what the ramp sent: by the ramp's end (2 s) about a second of
  // fixes is unacked, twice what the window opens with. The old loop opened at the ramp's end.
  const s = stub(3_000);
  try {
    const r = await _twentyDrivers(s, { durationS: 0.5, rampUpS: 2, prefix: "b" });
    assert.ok(r.rampSeconds >= 2.5, `window opened ${r.rampSeconds} s in, before the acks came`);
    assert.ok(r.rampSeconds < 30, "not held to the 30 s limit: it opened once the acks came");
    assert.ok(r.ackHistogram.count > 0);
  } finally {
    await s.stop();
  }
});

Deno.test("isPhone spreads the phones evenly: floor(drivers * share) of them", () => {
  const phones = (n: number, share: number) =>
    Array.from({ length: n }, (_, i) => i).filter((i) => isPhone(i, share));
  assert.deepEqual(phones(6, 0.5), [1, 3, 5]);
  assert.deepEqual(phones(5, 0), []);
  assert.deepEqual(phones(5, 1), [0, 1, 2, 3, 4]);
  assert.equal(phones(1000, 0.1).length, 100);
  assert.equal(phones(1000, 0.3).length, 300);
  assert.equal(phones(7, 0.25).length, 1);
});
