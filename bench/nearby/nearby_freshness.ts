/**
 * Index freshness on the real service: one driver sends one fix at a time; how long from the
 * fix's ack (and from its send) until `GET /drivers/nearby` answers it. Used by
 * `bench/nearby/nearby_bench.ts --service`.
 * @module
 */
import { startService } from "../../service.ts";
import { cleanupRun, runId, testConfig, token } from "../../tests/_support.ts";
import { WsClient } from "../../tests/_ws_client.ts";
import { percentile } from "../../sim/percentile.ts";

const AT = { lat: 12.97, lon: 77.59 };

/** Sends `fixes` fixes, each once the previous one is in the index; prints the delays. */
export async function measureFreshness(fixes: number): Promise<void> {
  const run = runId();
  const service = await startService(testConfig(run, { MAX_SPEED_MPS: "100000" }));
  const base = `http://127.0.0.1:${service.port}`;
  const driverId = `fresh-${run}`;
  const driver = await WsClient.connect(
    `ws://127.0.0.1:${service.port}/ws/driver`,
    await token("driver", driverId),
  );
  const headers = { Authorization: `Bearer ${await token("dispatcher", "bench")}` };
  const seen = async (ts: number) => {
    const res = await fetch(`${base}/drivers/nearby?lat=${AT.lat}&lon=${AT.lon}&limit=5`, {
      headers,
    });
    const body = await res.json();
    return body.drivers.some((d: { driverId: string; ts: number }) =>
      d.driverId === driverId && d.ts >= ts
    );
  };
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  try {
    for (let i = 0; i < fixes + 10; i++) {
      const ts = Date.now();
      const sentAt = performance.now();
      const before = driver.received.length;
      driver.send({ type: "location", lat: AT.lat + i * 1e-6, lon: AT.lon, ts });
      let ackAt: number | undefined;
      let indexedAt: number | undefined;
      while (ackAt === undefined || indexedAt === undefined) {
        if (performance.now() - sentAt > 10_000) throw new Error(`fix ${i} not seen in 10 s`);
        if (ackAt === undefined && driver.received.slice(before).some((r) => r.frame.ts >= ts)) {
          ackAt = performance.now();
        }
        if (indexedAt === undefined && await seen(ts)) indexedAt = performance.now();
        await new Promise((r) => setTimeout(r, 2));
      }
      if (i < 10) continue; // warm-up
      fromAck.push(indexedAt - ackAt);
      fromSend.push(indexedAt - sentAt);
    }
  } finally {
    await driver.close();
    await service.close();
    await cleanupRun(run);
  }
  const line = (name: string, xs: number[]) => {
    xs.sort((a, b) => a - b);
    const p = (q: number) => percentile(xs, q).toFixed(1);
    return `${name}: p50 ${p(50)} ms, p99 ${p(99)} ms, max ${xs.at(-1)!.toFixed(1)} ms`;
  };
  console.log(`index freshness over ${fixes} fixes (polled every 2 ms; negative: before the ack)`);
  console.log(`  ${line("ack -> in the nearby answer", fromAck)}`);
  console.log(`  ${line("send -> in the nearby answer", fromSend)}`);
}
