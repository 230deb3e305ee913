import assert from "node:assert/strict";
import { driverSocketsIn, parseDriverSockets, scrapeWorkers } from "./open_sockets.ts";

const driverSockets = async (bases: URL[]) => {
  const pages = await scrapeWorkers(bases);
  return pages && driverSocketsIn(pages);
};

const PAGE = `# HELP tracking_open_sockets Open WebSocket connections.
# TYPE tracking_open_sockets gauge
tracking_open_sockets{route="order"} 12
tracking_open_sockets{route="driver"} 9321
tracking_fixes_accepted_total 5
`;

Deno.test("parseDriverSockets reads the driver route's gauge, and 0 when there is none", () => {
  assert.equal(parseDriverSockets(PAGE), 9321);
  assert.equal(parseDriverSockets('tracking_open_sockets{route="order"} 3\n'), 0);
});

Deno.test("scrapeWorkers + driverSocketsIn sum the instances, and is null when one does not answer", async () => {
  const pages = [PAGE, PAGE.replace("9321", "79")];
  const servers = pages.map((page) =>
    Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => new Response(page))
  );
  try {
    const bases = servers.map((s) => new URL(`http://127.0.0.1:${s.addr.port}`));
    assert.equal(await driverSockets(bases), 9400);
    const gone = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      () => new Response("no", { status: 503 }),
    );
    const down = new URL(`http://127.0.0.1:${gone.addr.port}`);
    assert.equal(await driverSockets([...bases, down]), null);
    await gone.shutdown();
  } finally {
    for (const s of servers) await s.shutdown();
  }
});

Deno.test("scrapeWorkers + driverSocketsIn sum the workers that share one URL, each counted once", async () => {
  let n = 0;
  // Answers as worker w0 (100 sockets) then w1 (23), in turn, as SO_REUSEPORT might.
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    const worker = n++ % 2;
    return new Response(
      `tracking_instance_info{instance="w${worker}"} 1\n` +
        `tracking_open_sockets{route="driver"} ${worker === 0 ? 100 : 23}\n`,
    );
  });
  try {
    const base = new URL(`http://127.0.0.1:${server.addr.port}`);
    assert.equal(await driverSockets([base]), 123);
    assert.ok(n >= 7, `scraped until quiet: ${n}`);
  } finally {
    await server.shutdown();
  }
});
