import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { DATABASE_URL, runId, testConfig } from "./_support.ts";
import { historyRows, registerDevice } from "./_phones.ts";
import { TestBroker } from "./_test_broker.ts";

// A phone app keeps posting while the broker is stopped, on a broker of the test's own (as
// fault_broker_test.ts). The app behaves as Traccar Client does: fixes queue on the phone, the
// oldest is sent, a 200 removes it, anything else (or 15 s without an answer) keeps it and it is
// sent again after a pause. The outage outlasts KAFKA_OUTAGE_GRACE_MS, so fixes are refused.

const FAULT_MS = 15_000;

/** One phone: a fix every `everyMs` into its queue, and a sender that drains it in order. */
class Phone {
  readonly sent: number[] = [];
  readonly answers: { ts: number; status: number }[] = [];
  #queue: number[] = [];
  #running = true;
  readonly #start = Date.now();
  #loops: Promise<void>[];

  constructor(readonly url: string, readonly key: string, everyMs: number) {
    this.#loops = [this.#record(everyMs), this.#send()];
  }

  /** Stops recording, waits until the queue is empty (every fix answered 200). */
  async drain(timeoutMs: number): Promise<void> {
    this.#running = false;
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.length > 0 && Date.now() < deadline) await _sleep(100);
    this.#queue.length = 0;
    await Promise.all(this.#loops);
  }

  get queued(): number {
    return this.#queue.length;
  }

  async #record(everyMs: number): Promise<void> {
    const start = Date.now();
    let i = 0;
    while (this.#running) {
      const ts = Date.now();
      this.sent.push(ts);
      this.#queue.push(ts);
      i++;
      await _sleep(Math.max(0, start + i * everyMs - Date.now()));
    }
  }

  async #send(): Promise<void> {
    while (this.#running || this.#queue.length > 0) {
      const ts = this.#queue[0];
      if (ts === undefined) {
        await _sleep(50);
        continue;
      }
      // Moves ~0.5 m a fix, never jumps: a wrap (as `ts % 100_000` had every 100 s) would be an
      // impossible speed, refused for good (answered 200) and rightly never stored.
      const lat = 12.97 + (ts - this.#start) / 1e8;
      const body = new URLSearchParams({
        id: this.key,
        timestamp: String(ts),
        lat: String(lat),
        lon: "77.59",
        speed: "5.0",
      });
      const status = await fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
        signal: AbortSignal.timeout(15_000),
      }).then(async (r) => (await r.body?.cancel(), r.status), () => 0);
      this.answers.push({ ts, status });
      if (status === 200) this.#queue.shift();
      else await _sleep(500);
    }
  }
}

function _sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

Deno.test("fault: the broker stops while phones post; every fix answered 200 is stored once, the refused ones are accepted when sent again", async () => {
  const run = runId();
  const broker = await TestBroker.start();
  const service = await startService(
    testConfig(run, { KAFKA_BROKERS: broker.brokers, KAFKA_OUTAGE_GRACE_MS: "5000" }),
  );
  const base = `http://127.0.0.1:${service.port}`;
  const sql = connectPostgres(DATABASE_URL);
  const phones: Phone[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const { key } = await registerDevice(base, `ph-${run}-${i}`);
      phones.push(new Phone(`${base}/osmand`, key, 500));
    }
    await _sleep(3_000);
    await broker.stop();
    await _sleep(FAULT_MS);
    await broker.restart();
    await _sleep(3_000);
    await Promise.all(phones.map((p) => p.drain(90_000)));
    for (const [i, phone] of phones.entries()) {
      const refused = phone.answers.filter((a) => a.status !== 200);
      assert.ok(refused.length > 0, `phone ${i} was refused during the outage`);
      assert.ok(refused.every((a) => a.status === 503 || a.status === 0), JSON.stringify(refused));
      const ok = new Set(phone.answers.filter((a) => a.status === 200).map((a) => a.ts));
      assert.deepEqual([...ok].sort(), [...phone.sent].sort(), `phone ${i}: every fix got its 200`);
      const rows = await historyRows(sql, `ph-${run}-${i}`, phone.sent.length);
      assert.deepEqual(rows.map((r) => r.ts), phone.sent, `phone ${i}: each fix stored once`);
      console.log(`phone ${i}: ${phone.sent.length} fixes, ${refused.length} refused answers`);
    }
  } finally {
    await Promise.all(phones.map((p) => p.drain(0)));
    await sql.end();
    await service.close();
    await broker.close(); // its topics go with it
  }
});
