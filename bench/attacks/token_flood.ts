/**
 * One driver token, many sockets: the attack of the resource-limits issue (40 sockets on one
 * driver id accepted 1,764 fixes in 3 s against a 20/s limit). Starts the service (`main.ts`, its
 * own topics), opens `--sockets` WebSockets for one driver at once, sends valid fixes on every
 * open one as fast as it can for `--seconds`, then reads `tracking_fixes_accepted_total` from
 * `/metrics`. docs/limits.md quotes the result.
 *
 *   deno run -A bench/attacks/token_flood.ts [--sockets 40] [--seconds 3]
 */
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { startIsolatedService } from "./isolated_service.ts";
import { metricTotal } from "../metric_total.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sockets: { type: "string", default: "40" },
    seconds: { type: "string", default: "3" },
    port: { type: "string", default: "18432" },
  },
});
const count = Number(values.sockets);
const seconds = Number(values.seconds);
const port = Number(values.port);
const run = crypto.randomUUID().slice(0, 8);

const { service, secret } = await startIsolatedService("token-flood", { port, run });
try {
  const token = await sign(
    { sub: `flood-${run}`, role: "driver", exp: Math.floor(Date.now() / 1000) + 3600 },
    secret,
    "HS256",
  );
  const start = Date.now() - 3_600_000;
  let next = 0;
  const stats = {
    opened: 0,
    refused: 0,
    acked: new Set<WebSocket>(),
    closes: {} as Record<string, number>,
  };
  const sockets = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<WebSocket | undefined>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/driver?token=${token}`);
        ws.onopen = () => {
          stats.opened += 1;
          resolve(ws);
        };
        ws.onerror = () => {
          stats.refused += 1;
          resolve(undefined);
        };
        ws.onclose = (e) => stats.closes[e.code] = (stats.closes[e.code] ?? 0) + 1;
        ws.onmessage = (e) => {
          const frame = JSON.parse(String(e.data));
          if (frame.type === "ack") stats.acked.add(ws);
        };
      })),
  );
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const ws of sockets) {
      if (ws?.readyState !== WebSocket.OPEN || ws.bufferedAmount > 1 << 20) continue;
      const i = next++;
      ws.send(JSON.stringify({
        type: "location",
        lat: 12.9 + i * 0.00001,
        lon: 77.6 + i * 0.00001,
        ts: start + i * 100,
      }));
    }
    await new Promise((r) => setTimeout(r, 0));
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  const accepted = metricTotal(metrics, "tracking_fixes_accepted_total");
  const rejected = [
    ...metrics.matchAll(/^tracking_fixes_rejected_total\{reason="([^"]+)"\} (\d+)/gm),
  ]
    .map((m) => `${m[1]}×${m[2]}`).join(", ");
  const closes = JSON.stringify(stats.closes);
  for (const ws of sockets) ws?.close();
  console.log(`Deno ${Deno.version.deno}; ${count} sockets opened at once on one driver token`);
  console.log(
    `opened ${stats.opened}, refused ${stats.refused}; frames sent ${next} in ${seconds} s; ` +
      `fixes accepted ${accepted}; rejected ${rejected || "none"}; ` +
      `sockets that got acks ${stats.acked.size}; server closes ${closes}`,
  );
} finally {
  await service.stop();
}
