import assert from "node:assert/strict";
import type { Sql } from "../infra/postgres/connect_postgres.ts";
import { eventually, testEnv, token } from "./_support.ts";
import { ServiceProcess } from "../sim/service_process.ts";
import { DriverClient, type TestFix } from "./_driver_client.ts";
import { assertHistoryExact } from "./_history_check.ts";
import { WsClient } from "./_ws_client.ts";

/** Metres per degree of latitude. */
const M_PER_DEG = 111_320;
/** The watched order's drop-off; driver 0 approaches it from the south. */
const DROPOFF = { lat: 12.98, lon: 77.6 };
/** Where driver 0 starts and ends its approach, metres south of the drop-off. */
const APPROACH = { from: 800, to: 300 };

/** Options of {@linkcode FaultRig.start}. */
export interface FaultRigOptions {
  /** Base URLs (http://127.0.0.1:port) of the instances, in the order drivers use them. */
  readonly urls: () => readonly string[];
  /** A unique run id (driver, order and customer ids are made from it). */
  readonly run: string;
  /** How many drivers stream (default 20). */
  readonly drivers?: number;
  /** Time between two fixes of one driver, ms (default 250). */
  readonly everyMs?: number;
}

/** A readiness answer. */
interface ReadySample {
  readonly at: number;
  readonly url: string;
  readonly status: number;
}

/**
 * A fault-injection workload, as the fault tests need it: drivers that stream a fix every 250 ms,
 * reconnect when their socket drops and resend everything after their last ack; one order whose
 * driver (driver 0) is picked up and crosses the 500 m "driver near" threshold while it is
 * told to approach (during the fault); its customer watching, reconnecting when dropped; and a
 * reader of every instance's `/readyz`. `finish` stops the load and checks what every fault test
 * promises.
 */
export class FaultRig {
  readonly readiness: ReadySample[] = [];
  /** Driver sockets that were closed by the server while the rig ran, with their codes. */
  readonly driverCloses: number[] = [];
  #options: Required<Omit<FaultRigOptions, "urls">> & Pick<FaultRigOptions, "urls">;
  #ids: string[];
  #tokens: string[] = [];
  #clients: DriverClient[] = [];
  #sent: TestFix[][];
  #viewer: WsClient | undefined;
  #viewerFrames: unknown[] = [];
  #order!: { id: string; customerId: string };
  #approach: { start: number; ms: number } | undefined;
  #running = true;
  #loops: Promise<void>[] = [];

  private constructor(options: FaultRigOptions) {
    this.#options = { drivers: 20, everyMs: 250, ...options };
    this.#ids = Array.from({ length: this.#options.drivers }, (_, i) => `f-${options.run}-${i}`);
    this.#sent = this.#ids.map(() => []);
  }

  /** Creates the order, connects everyone and starts streaming; resolves once fixes are acked. */
  static async start(options: FaultRigOptions): Promise<FaultRig> {
    const rig = new FaultRig(options);
    await rig.#begin();
    return rig;
  }

  /** The watched order's id. */
  get orderId(): string {
    return this.#order.id;
  }

  /** Driver ids, driver 0 first. */
  get driverIds(): readonly string[] {
    return this.#ids;
  }

  /** Driver 0 moves from 800 m to 300 m from the drop-off over `ms`, crossing 500 m at 60%. */
  approach(ms: number): void {
    this.#approach = { start: Date.now(), ms };
  }

  /** Frames the customer received of one type, across reconnects. */
  // deno-lint-ignore no-explicit-any
  customerFrames(type: string): any[] {
    // deno-lint-ignore no-explicit-any
    return this.#viewerFrames.filter((f: any) => f.type === type);
  }

  /** Resolves once the customer has received a position after `since` (epoch ms). */
  async customerSeesPositionsAfter(since: number, timeoutMs: number): Promise<void> {
    await eventually("the customer to get positions again", () => {
      const fresh = this.#viewer?.received.some((r) => r.frame.type === "location" && r.at > since);
      return Promise.resolve(fresh === true);
    }, timeoutMs);
  }

  /** Resolves once every instance answers `/readyz` 200 (sampled after `since`). */
  async readyAgain(since: number, timeoutMs: number): Promise<void> {
    await eventually("/readyz 200 on every instance", () => {
      const urls = this.#options.urls();
      return Promise.resolve(
        urls.every((url) =>
          this.readiness.findLast((s) => s.url === url && s.at > since)?.status === 200
        ),
      );
    }, timeoutMs);
  }

  /** Whether some instance answered 503 between `from` and `to`. */
  notReadyBetween(from: number, to: number): boolean {
    return this.readiness.some((s) => s.at >= from && s.at <= to && s.status === 503);
  }

  /**
   * Stops streaming, waits until every sent fix is acked, then checks: every fix in PostgreSQL
   * exactly once (within `historyMs`), and the order's "driver near" at 500 m stored once and
   * shown to the customer once.
   */
  async finish(sql: Sql, historyMs = 30_000): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    await eventually(
      "every sent fix acked",
      () =>
        Promise.resolve(
          this.#clients.every((c, i) => c.ackedTs >= (this.#sent[i]!.at(-1)?.ts ?? 0)),
        ),
      60_000,
    );
    await assertHistoryExact(
      sql,
      new Map(this.#ids.map((id, i) => [id, this.#sent[i]!])),
      historyMs,
    );
    const id = `${this.#order.id}:driver_near:500`;
    await eventually("the notification stored", async () => {
      const rows = await sql`select id from notifications where order_id = ${this.#order.id}`;
      return rows.length > 0;
    });
    const rows = await sql<{ id: string; published: boolean }[]>`
      select id, published from notifications where order_id = ${this.#order.id}`;
    assert.deepEqual(rows.map((r) => [r.id, r.published]), [[id, true]], "stored once");
    await eventually(
      "the customer notified",
      () =>
        Promise.resolve(
          this.customerFrames("notification").length > 0 ||
            this.customerFrames("snapshot").some((s) => s.notifications?.length > 0),
        ),
    );
    const shown = this.customerFrames("notification").map((n) => n.id);
    assert.ok(shown.length <= 1 && shown.every((n) => n === id), `notified once: ${shown}`);
  }

  /**
   * What every outage must end with: the customer's positions within 10 s of `recoveredAt`,
   * `/readyz` 503 at some point between the fault and the recovery and 200 within 30 s after,
   * then everything `finish` checks, and no driver socket closed by the server.
   */
  async assertRecovered(sql: Sql, faultAt: number, recoveredAt: number): Promise<void> {
    await this.customerSeesPositionsAfter(recoveredAt, 10_000);
    await this.readyAgain(recoveredAt, 30_000);
    assert.ok(this.notReadyBetween(faultAt, recoveredAt), "/readyz said 503 during the fault");
    await this.finish(sql, 30_000);
    assert.deepEqual(this.driverCloses, [], "no driver socket was closed");
  }

  /** Closes every socket. */
  async close(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    await Promise.all(this.#clients.map((c) => c.close().catch(() => {})));
    await this.#viewer?.close().catch(() => {});
  }

  async #begin(): Promise<void> {
    const url = this.#options.urls()[0]!;
    const ops = { Authorization: `Bearer ${await token("ops", "ops")}` };
    const json = { ...ops, "content-type": "application/json" };
    const start = this.#position(0);
    const created = await fetch(`${url}/orders`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        restaurantId: `f-r-${this.#options.run}`,
        customerId: `f-c-${this.#options.run}`,
        pickup: { lat: start.lat, lon: start.lon },
        dropoff: DROPOFF,
      }),
    });
    assert.equal(created.status, 201);
    this.#order = await created.json();
    const assigned = await fetch(`${url}/orders/${this.#order.id}/assign`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ driverId: this.#ids[0] }),
    });
    assert.equal(assigned.status, 200);
    this.#tokens = await Promise.all(this.#ids.map((id) => token("driver", id)));
    this.#clients = this.#ids.map((_, i) => this.#client(i));
    await Promise.all(this.#clients.map((c) => c.connect()));
    this.#clients[0]!.sendText(
      JSON.stringify({ type: "order", orderId: this.#order.id, event: "picked_up" }),
    );
    await this.#watch();
    // Driver 0 starts at the pickup: it drives only once the order is picked up, or a slow
    // machine judges its first fix on the assigned order and fires driver_arriving (150 m).
    await eventually(
      "picked up",
      () =>
        Promise.resolve(
          this.customerFrames("status").some((s) => s.status === "picked_up") ||
            this.customerFrames("snapshot").some((s) => s.order?.status === "picked_up"),
        ),
    );
    this.#loops = [
      ...this.#ids.map((_, i) => this.#drive(i)),
      this.#keepWatching(),
      this.#pollReadiness(),
    ];
    await eventually(
      "first fixes acked",
      () => Promise.resolve(this.#clients.every((c) => c.ackedTs > 0)),
    );
  }

  #client(i: number): DriverClient {
    const urls = this.#options.urls();
    const base = urls[i % urls.length]!.replace(/^http/, "ws");
    return new DriverClient(`${base}/ws/driver`, this.#tokens[i]!);
  }

  /** Where driver `i` is now: driver 0 on its approach, the others on a small loop each. */
  #position(i: number): { lat: number; lon: number } {
    if (i === 0) {
      const a = this.#approach;
      const share = a ? Math.min(1, (Date.now() - a.start) / a.ms) : 0;
      const south = APPROACH.from + (APPROACH.to - APPROACH.from) * share;
      return { lat: DROPOFF.lat - south / M_PER_DEG, lon: DROPOFF.lon };
    }
    const angle = Date.now() / 20_000;
    return {
      lat: 12.9 + i * 0.002 + 0.0005 * Math.sin(angle),
      lon: 77.55 + 0.0005 * Math.cos(angle),
    };
  }

  /** One driver: a fix every `everyMs`; after a drop, reconnect and resend what is unacked. */
  async #drive(i: number): Promise<void> {
    while (this.#running) {
      const client = this.#clients[i]!;
      if (!client.open) {
        if (client.closeCode !== undefined) this.driverCloses.push(client.closeCode);
        const next = this.#client(i);
        next.ackedTs = client.ackedTs;
        this.#clients[i] = next;
        try {
          await next.connect();
        } catch {
          await _sleep(500);
          continue;
        }
        for (const fix of this.#sent[i]!) if (fix.ts > next.ackedTs) next.send(fix);
        continue;
      }
      const fix = { ...this.#position(i), ts: Date.now() };
      this.#sent[i]!.push(fix);
      client.send(fix);
      await _sleep(this.#options.everyMs);
    }
  }

  async #watch(): Promise<void> {
    const urls = this.#options.urls();
    const base = urls[urls.length > 1 ? 1 : 0]!.replace(/^http/, "ws");
    const viewer = await WsClient.connect(
      `${base}/ws/orders/${this.#order.id}`,
      await token("customer", this.#order.customerId),
    );
    const seen = viewer.received;
    // Frames land in the client's own list; mirror them into the rig's, across reconnects.
    const push = seen.push.bind(seen);
    seen.push = (...items) => {
      for (const item of items) this.#viewerFrames.push(item.frame);
      return push(...items);
    };
    this.#viewer = viewer;
  }

  async #keepWatching(): Promise<void> {
    while (this.#running) {
      await _sleep(250);
      if (this.#viewer?.closeCode === undefined) continue;
      try {
        await this.#watch();
      } catch {
        await _sleep(500);
      }
    }
  }

  async #pollReadiness(): Promise<void> {
    while (this.#running) {
      await Promise.all(
        this.#options.urls().map(async (url) => {
          const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(4_000) })
            .then(async (r) => (await r.body?.cancel(), r.status), () => 0);
          this.readiness.push({ at: Date.now(), url, status });
        }),
      );
      await _sleep(250);
    }
  }
}

function _sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Starts one service process with `env` on top of the test environment of `run`, a
 * {@linkcode FaultRig} streaming into it for 2 s, then runs `body`. Afterwards the rig closes and
 * the service must exit 0 on SIGTERM; on failure the service's metrics of actors, consumers and
 * components and the tail of its log are printed.
 */
export async function withRiggedService(
  run: string,
  env: Record<string, string>,
  body: (rig: FaultRig, service: ServiceProcess) => Promise<void>,
): Promise<void> {
  let service: ServiceProcess | undefined;
  let rig: FaultRig | undefined;
  try {
    service = await ServiceProcess.start({
      env: { ...Deno.env.toObject(), ...testEnv(run), ...env },
    });
    const url = `http://127.0.0.1:${service.port}`;
    rig = await FaultRig.start({ urls: () => [url], run });
    await _sleep(2_000);
    await body(rig, service);
    await rig.close();
    assert.equal(await service.stop("SIGTERM"), 0, service.output);
  } catch (error) {
    if (service) await _printState(service);
    throw error;
  } finally {
    await rig?.close();
    await service?.stop("SIGKILL");
  }
}

/** The service's actor, consumer and component metrics, and the last lines of its log. */
async function _printState(service: ServiceProcess): Promise<void> {
  const metrics = await fetch(`http://127.0.0.1:${service.port}/metrics`)
    .then((r) => r.text(), () => "");
  const lines = metrics.split("\n").filter((l) => /^tracking_(actors|consumer|component)/.test(l));
  console.error(lines.join("\n"));
  console.error(service.output.split("\n").filter((l) => !/^\s/.test(l)).slice(-80).join("\n"));
}
