import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, runId, testConfig, token } from "./_support.ts";

const VIEWERS = 2_000;
/** How long after the last socket opened every snapshot must have arrived (2 busy cores: ~12 s). */
const SNAPSHOT_WAIT_MS = 25_000;

/** The soft open-files limit of this process, when the OS tells (Linux). */
async function openFilesLimit(): Promise<number | undefined> {
  try {
    const limits = await Deno.readTextFile("/proc/self/limits");
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    return soft === undefined ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** A viewer socket: `open` settles when it opened or failed; `first` is its first frame's type. */
interface Viewer {
  readonly ws: WebSocket;
  readonly open: Promise<void>;
  /** The type of the first frame, how the socket ended without one, or "no frame" at `deadline`. */
  readonly first: Promise<string>;
}

function openViewer(url: string, deadline: AbortSignal): Viewer {
  const ws = new WebSocket(url);
  const open = Promise.withResolvers<void>();
  const first = Promise.withResolvers<string>();
  ws.onopen = () => open.resolve();
  ws.onmessage = (event) => first.resolve(JSON.parse(event.data).type);
  ws.onerror = () => first.resolve("error");
  ws.onclose = (event) => first.resolve(`closed ${event.code}`);
  first.promise.then(() => open.resolve());
  deadline.addEventListener("abort", () => first.resolve("no frame"));
  return { ws, open: open.promise, first: first.promise };
}

function closeAll(viewers: Viewer[]): Promise<void[]> {
  return Promise.all(viewers.map(({ ws }) =>
    new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.addEventListener("close", () => resolve());
      if (ws.readyState !== WebSocket.CLOSING) ws.close();
    })
  ));
}

Deno.test({
  name: `${VIEWERS} customer sockets opened at once on one assigned order each get their snapshot`,
  fn: async () => {
    // Client and server share this process: two descriptors per socket, and some to spare.
    const limit = await openFilesLimit();
    assert.ok(limit === undefined || limit >= 2 * VIEWERS + 500, `ulimit -n is ${limit}`);
    const run = runId();
    // Each viewer here is the order's customer on one token: lift the per-principal socket limit
    // (5 by default, see docs/limits.md), which would otherwise refuse all but 5 with a 429.
    const service = await startService(
      testConfig(run, { MAX_SOCKETS_PER_PRINCIPAL: String(VIEWERS) }),
    );
    const http = `http://127.0.0.1:${service.port}`;
    const viewers: Viewer[] = [];
    const deadline = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
      const customerId = `c-${run}`;
      const created = await fetch(`${http}/orders`, {
        method: "POST",
        headers: ops,
        body: JSON.stringify({
          restaurantId: `r-${run}`,
          customerId,
          pickup: { lat: 12.93, lon: 77.62 },
          dropoff: { lat: 12.97, lon: 77.64 },
        }),
      });
      assert.equal(created.status, 201);
      const order = await created.json();
      // Assigned to a driver with no known position: each subscription looks the driver up
      // (an await), so subscriptions queue up in the order actor while it serves earlier ones.
      const assigned = await fetch(`${http}/orders/${order.id}/assign`, {
        method: "POST",
        headers: ops,
        body: JSON.stringify({ driverId: `d-${run}` }),
      });
      assert.equal(assigned.status, 200);
      await assigned.body?.cancel();

      const customer = encodeURIComponent(await token("customer", customerId));
      const url = `ws://127.0.0.1:${service.port}/ws/orders/${order.id}?token=${customer}`;
      const started = performance.now();
      for (let i = 0; i < VIEWERS; i++) viewers.push(openViewer(url, deadline.signal));
      await Promise.all(viewers.map((v) => v.open));
      const openSeconds = (performance.now() - started) / 1000;
      timer = setTimeout(() => deadline.abort(), SNAPSHOT_WAIT_MS);
      const firsts = await Promise.all(viewers.map((v) => v.first));
      const seconds = (performance.now() - started) / 1000;
      const tally: Record<string, number> = {};
      for (const first of firsts) tally[first] = (tally[first] ?? 0) + 1;
      console.log(
        `${VIEWERS} viewers: all open in ${openSeconds.toFixed(1)} s, first frames ` +
          `${JSON.stringify(tally)} in ${seconds.toFixed(1)} s`,
      );
      assert.deepEqual(tally, { snapshot: VIEWERS });
    } finally {
      clearTimeout(timer);
      await closeAll(viewers);
      await service.close();
      await cleanupRun(run);
    }
  },
});
