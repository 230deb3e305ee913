/**
 * One restaurant token floods `POST /orders` (issue 19, item 8: 4,000 orders for someone else's
 * customer id in 7 s, each a live order actor). Starts the service (`main.ts`, its own topics),
 * sends orders of restaurant `r-<run>` for customer `victim-<run>` from `--concurrency` loops for
 * `--seconds`, then reads the live order actors from `/metrics` and the service's RSS from
 * `/proc`. A second restaurant sends one order a second meanwhile: its answers show whether
 * other principals are disturbed. docs/limits.md quotes the result.
 *
 *   deno run -A bench/attacks/order_flood.ts [--seconds 7] [--concurrency 16]
 */
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { startIsolatedService } from "./isolated_service.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "7" },
    concurrency: { type: "string", default: "16" },
    port: { type: "string", default: "18433" },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const port = Number(values.port);
const run = crypto.randomUUID().slice(0, 8);

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

// `service.pid` is the deno process itself (bash execs it).
const { service, secret } = await startIsolatedService("order-flood", { port, run });
try {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const bearer = async (sub: string) =>
    `Bearer ${await sign({ sub, role: "restaurant", exp }, secret, "HS256")}`;
  const flooder = await bearer(`r-${run}`);
  const other = await bearer(`r2-${run}`);
  const order = (restaurantId: string) =>
    JSON.stringify({
      restaurantId,
      customerId: `victim-${run}`,
      pickup: { lat: 12.93, lon: 77.6 },
      dropoff: { lat: 12.95, lon: 77.6 },
    });
  const post = async (authorization: string, body: string) => {
    const res = await fetch(`${service.url}/orders`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });
    await res.body?.cancel();
    return res.status;
  };
  const baseline = rssMiB(service.pid);
  const statuses: Record<string, number> = {};
  const others: Record<string, number> = {};
  let peak = baseline;
  const until = Date.now() + seconds * 1000;
  const sampler = setInterval(() => peak = Math.max(peak, rssMiB(service.pid)), 100);
  const loop = async () => {
    while (Date.now() < until) {
      const status = await post(flooder, order(`r-${run}`));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const neighbour = async () => {
    while (Date.now() < until) {
      const status = await post(other, order(`r2-${run}`));
      others[status] = (others[status] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, loop), neighbour()]);
  clearInterval(sampler);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  const live = /^tracking_actors\{kind="order",metric="live"\} (\d+)/m.exec(metrics)?.[1];
  const created = statuses["201"] ?? 0;
  console.log(
    `Deno ${Deno.version.deno}; one restaurant token, ${concurrency} loops, ${seconds} s`,
  );
  console.log(
    `answers ${JSON.stringify(statuses)}; created ${created} (${
      (created / seconds).toFixed(1)
    }/s); other restaurant ${JSON.stringify(others)}; live order actors ${live ?? "?"}; ` +
      `RSS ${baseline} -> peak ${peak} MiB`,
  );
} finally {
  await service.stop();
}
