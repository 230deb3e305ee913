// The history stream budget (docs/limits.md, "History streams") through the real service
// (Kafka + PostgreSQL): `?stream=ndjson` responses opened and never read. Past the budget they get
// 429; while they are held, another user's order, history page and /readyz still answer (the
// streams read from a pool of their own); a stream nobody reads is ended after STREAM_STALL_MS.
import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/mod.ts";
import { seedHistory } from "./_seed_history.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testConfig, token } from "./_support.ts";

/** Rows of the streamed driver: ~26 MB of NDJSON, far more than a socket buffers (~4 MB). */
const ROWS = 150_000;
const STALL_MS = 3_000;

async function _auth(role: string, sub: string): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await token(role, sub)}` };
}

async function _seed(driverId: string, t0: number): Promise<void> {
  const sql = connectPostgres(DATABASE_URL, { max: 1 });
  try {
    await seedHistory(sql, driverId, { t0, rows: ROWS, stepMs: 100 });
  } finally {
    await sql.end();
  }
}

/**
 * A client that asks for `path` on a raw socket, reads the answer's head, then reads nothing
 * more until {@linkcode rest}: `fetch` would go on reading the body into memory, so the server
 * would never see the client stop.
 */
class _UnreadStream {
  readonly #conn: Deno.Conn;
  readonly head: string;
  readonly status: number;
  private constructor(conn: Deno.Conn, head: string) {
    this.#conn = conn;
    this.head = head;
    this.status = Number(head.slice(9, 12));
  }

  static async open(port: number, path: string, auth: Record<string, string>) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const lines = [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
    for (const [name, value] of Object.entries(auth)) lines.push(`${name}: ${value}`);
    await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
    const buffer = new Uint8Array(2048); // far less than the first batch
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) throw new Error(`the connection closed after ${JSON.stringify(head)}`);
      head += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return new _UnreadStream(conn, head);
  }

  /** Reads what is left up to the end of the connection; whether the body ended cleanly. */
  async rest(): Promise<{ bytes: number; complete: boolean; text: string }> {
    const buffer = new Uint8Array(64 * 1024);
    let bytes = 0;
    let tail = "";
    try {
      for (let n = await this.#conn.read(buffer); n !== null; n = await this.#conn.read(buffer)) {
        bytes += n;
        tail = (tail + new TextDecoder().decode(buffer.subarray(0, n))).slice(-4096);
      }
    } catch {
      // reset by the server: not a clean end
    }
    const text = this.head + tail;
    // A chunked body ends with a zero-length chunk; a cut one does not.
    return { bytes, complete: text.endsWith("\r\n0\r\n\r\n"), text };
  }

  close(): void {
    try {
      this.#conn.close();
    } catch {
      // closed already
    }
  }
}

Deno.test("history streams: past the budget 429 too_many_streams; others' reads and /readyz answer while unread streams are held; a stalled stream is ended", async () => {
  const run = runId();
  const service = await startService(testConfig(run, {
    MAX_STREAMS: "4",
    MAX_STREAMS_PER_PRINCIPAL: "2",
    STREAM_STALL_MS: String(STALL_MS),
  }));
  const base = `http://127.0.0.1:${service.port}`;
  const driver = `st-${run}`;
  const t0 = Date.now() - 86_400_000;
  const held: _UnreadStream[] = [];
  try {
    await _seed(driver, t0);
    const ops = await _auth("ops", `ops-${run}`);
    const created = await fetch(`${base}/orders`, {
      method: "POST",
      headers: { ...ops, "content-type": "application/json" },
      body: JSON.stringify({
        restaurantId: `r-${run}`,
        customerId: `c-${run}`,
        pickup: { lat: 12.93, lon: 77.6 },
        dropoff: { lat: 12.95, lon: 77.6 },
      }),
    });
    assert.equal(created.status, 201);
    const order = (await created.json()).id;
    await eventually("the service to be ready", async () => {
      const res = await fetch(`${base}/readyz`);
      await res.body?.cancel();
      return res.ok;
    });

    const path = `/drivers/${driver}/history?stream=ndjson&from=${t0}`;
    const stream = async (role: string, sub: string) =>
      await _UnreadStream.open(service.port, path, await _auth(role, sub));
    const refused = async (res: _UnreadStream, message: RegExp) => {
      const { text } = await res.rest();
      res.close();
      assert.equal(res.status, 429, text.slice(0, 200));
      assert.match(text, /\r\nretry-after: 5\r\n/i);
      const { error } = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));
      assert.equal(error.code, "too_many_streams");
      assert.match(error.message, message);
    };
    // The driver's own history: two streams, the third is refused.
    for (let i = 0; i < 2; i++) held.push(await stream("driver", driver));
    await refused(await stream("driver", driver), /at most 2 streams/);
    // Two more of an ops user fill the instance's four; a third principal is refused too.
    for (let i = 0; i < 2; i++) held.push(await stream("ops", `ops-a-${run}`));
    assert.deepEqual(held.map((r) => r.status), [200, 200, 200, 200]);
    const started = Date.now();
    await refused(await stream("ops", `ops-b-${run}`), /4 streams at once/);

    // While the four are held, unread, another user's reads answer, long before the stall timeout.
    const quick = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(STALL_MS) });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await quick(`/orders/${order}`, await _auth("customer", `c-${run}`)), 200);
    const other = `other-${run}`;
    assert.equal(await quick(`/drivers/${other}/history`, await _auth("driver", other)), 200);
    assert.equal(await quick("/readyz"), 200);

    // Nobody reads the four: each is ended after STALL_MS, its place freed, its body cut short.
    // Their places are taken again (two principals of two streams each) before any of them is
    // read: a stream read before its cut takes up again, and its whole body comes.
    const fresh: _UnreadStream[] = [];
    let firstFreed = 0;
    await eventually("the four places freed by stalled streams", async () => {
      const res = await stream("ops", `ops-${fresh.length < 2 ? "b" : "c"}-${run}`);
      if (res.status !== 200) {
        await res.rest();
        res.close();
        return false;
      }
      firstFreed ||= Date.now();
      return fresh.push(res) === 4;
    }, STALL_MS * 5);
    held.push(...fresh);
    assert.ok(firstFreed - started >= STALL_MS, "a place was freed before the stall timeout");
    const ended = await Promise.all(held.slice(0, 4).map((res) => res.rest()));
    for (const { bytes, complete } of ended) {
      assert.ok(!complete, `the whole body came (${bytes} bytes): the stream was never ended`);
    }
  } finally {
    held.forEach((res) => res.close());
    await service.close();
    await cleanupRun(run);
  }
});
