import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, eventually, runId, testConfig, token } from "./_support.ts";
import { DriverClient } from "./_driver_client.ts";

const FRAMES = 500;

/** The value of `tracking_actors{kind="order",metric=...}` on the service's /metrics. */
async function orderActors(http: string, metric: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = text.split("\n").find((l) =>
    l.startsWith("tracking_actors{") && l.includes('kind="order"') &&
    l.includes(`metric="${metric}"`)
  );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

Deno.test({
  name:
    `${FRAMES} driver order frames and 50 assigns with unknown order ids get order_not_found and leave no order actor`,
  fn: async () => {
    const run = runId();
    const service = await startService(testConfig(run));
    const http = `http://127.0.0.1:${service.port}`;
    const driver = new DriverClient(
      `ws://127.0.0.1:${service.port}/ws/driver`,
      await token("driver", `d-${run}`),
    );
    try {
      await driver.connect();
      // In batches, so the driver actor's mailbox (256) never refuses a frame as busy.
      for (let sent = 0; sent < FRAMES; sent += 100) {
        for (let i = 0; i < 100; i++) {
          const orderId = crypto.randomUUID();
          driver.sendText(JSON.stringify({ type: "order", orderId, event: "picked_up" }));
        }
        await eventually("refusals", () => Promise.resolve(driver.errors.length >= sent + 100));
      }
      assert.deepEqual(new Set(driver.errors.map((e) => e.code)), new Set(["order_not_found"]));
      assert.equal(driver.errors.length, FRAMES);
      // The same through REST: ops assigning a driver to orders that do not exist.
      const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
      const assigns = await Promise.all(Array.from({ length: 50 }, async () => {
        const response = await fetch(`${http}/orders/${crypto.randomUUID()}/assign`, {
          method: "POST",
          headers: ops,
          body: JSON.stringify({ driverId: `d-${run}` }),
        });
        return `${response.status} ${(await response.json()).error?.code}`;
      }));
      assert.deepEqual(new Set(assigns), new Set(["404 order_not_found"]));
      // Every refusal came from an order actor, and none of them is left.
      await eventually(
        "order actors to stop",
        async () => await orderActors(http, "live") === 0,
        5_000,
      );
      assert.equal(await orderActors(http, "activations"), FRAMES + 50);
    } finally {
      await driver.close();
      await service.close();
      await cleanupRun(run);
    }
  },
});
