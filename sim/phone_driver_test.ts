import assert from "node:assert/strict";
import { runSimulation } from "./simulation.ts";

/**
 * A stub of the service's phone contract: `POST /drivers/:id/devices` as ops answers a key;
 * `POST /osmand` reads the form, answers 503 to each device's first request and 200 after.
 */
function stub() {
  const posts = new Map<string, URLSearchParams[]>();
  const peers = new Set<string>();
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    async (req, info) => {
      const url = new URL(req.url);
      const device = /^\/drivers\/([^/]+)\/devices$/.exec(url.pathname);
      if (req.method === "POST" && device) {
        const sub = JSON.parse(atob(req.headers.get("authorization")!.split(".")[1]!)).role;
        if (sub !== "ops") return new Response("not ops", { status: 403 });
        return Response.json({ device: { id: "d" }, key: `key-${device[1]}` }, { status: 201 });
      }
      if (req.method !== "POST" || url.pathname !== "/osmand") {
        return new Response(null, { status: 404 });
      }
      assert.equal(req.headers.get("content-type"), "application/x-www-form-urlencoded");
      const form = new URLSearchParams(await req.text());
      peers.add(info.remoteAddr.hostname);
      const list = posts.get(form.get("id")!) ?? [];
      posts.set(form.get("id")!, [...list, form]);
      return new Response(null, { status: list.length === 0 ? 503 : 200 });
    },
  );
  return { server, posts, peers, stop: async () => (ac.abort(), await server.finished) };
}

Deno.test("phones register a device, post their fixes as forms and send a refused one again", async () => {
  const s = stub();
  try {
    const r = await runSimulation({
      drivers: 3,
      osmandShare: 1,
      intervalMs: 1000,
      durationS: 2,
      rampUpS: 0.2,
      drainS: 8,
      url: `http://127.0.0.1:${s.server.addr.port}`,
      prefix: "p",
    });
    const c = r.counters;
    assert.equal(c.osmandDevices, 3, "every phone registered its device");
    assert.equal(c.opened, 3);
    assert.equal(c.open, 0, "every phone is closed at the end");
    assert.ok(c.osmandSent >= 3 && c.sent === c.osmandSent, `sent ${c.osmandSent}`);
    assert.equal(c.osmandAcked, c.osmandSent, "the refused fixes were sent again and acked");
    assert.deepEqual(c.errors, { osmand_503: 3 }, "each phone's first post was refused once");
    assert.deepEqual([...s.posts.keys()].sort(), ["key-p-0", "key-p-1", "key-p-2"]);
    for (const [key, forms] of s.posts) {
      const times = forms.map((f) => Number(f.get("timestamp")));
      // The first fix twice (refused, then sent again), then each later one once, rising.
      assert.equal(times[0], times[1], `${key}: the refused fix comes first again`);
      for (let i = 2; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!, `${key} rises`);
      assert.ok(times[0]! > 1e9 && times[0]! < 2 ** 31, "Unix seconds");
    }
    // Every post was a fix acked, or a first one refused once.
    assert.equal([...s.posts.values()].flat().length, c.osmandAcked + s.posts.size);
    assert.equal(s.peers.size, 3, `one source address per phone: ${[...s.peers]}`);
  } finally {
    await s.stop();
  }
});
