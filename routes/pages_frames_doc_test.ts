import assert from "node:assert/strict";
import { z } from "zod";
import { apiDocsHttpRoute } from "./api_docs_http.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const _DOC = new URL("../docs/pages.md", import.meta.url);

/** Each ```json <channel> block of a markdown file: its channel and its lines (one frame each). */
function _examples(markdown: string): { channel: string; lines: string[] }[] {
  const blocks = [...markdown.matchAll(/^```json (\w+)\n([\s\S]*?)^```$/gm)];
  return blocks.map(([, channel, body]) => ({
    channel: channel!,
    lines: body!.split("\n").filter((line) => line.trim() !== ""),
  }));
}

/** The AsyncAPI document as the service serves it at `/asyncapi.json`. */
async function _served(): Promise<Json> {
  const res = await apiDocsHttpRoute({ dev: false }).request("http://localhost/asyncapi.json");
  assert.equal(res.status, 200);
  return await res.json();
}

/** The channel's message payloads whose `type` is `type` (both directions). */
function _payloads(doc: Json, channel: string, type: string): Json[] {
  const messages = Object.values(doc.channels[channel]?.messages ?? {}) as Json[];
  return messages.map((m) => m.payload).filter((p) => p.properties?.type?.const === type);
}

/** Why `frame` fits none of the channel's messages of its type, or `undefined` when one fits. */
function _problem(doc: Json, channel: string, frame: Json): string | undefined {
  const payloads = _payloads(doc, channel, frame?.type);
  if (payloads.length === 0) return `no ${channel} message of type ${frame?.type}`;
  const problems = payloads.map((p) => z.fromJSONSchema(p).safeParse(frame))
    .filter((parsed) => !parsed.success).map((parsed) => parsed.error!.message);
  return problems.length < payloads.length ? undefined : problems.join("; ");
}

Deno.test("every frame docs/pages.md shows fits the AsyncAPI document the service serves", async () => {
  const doc = await _served();
  const examples = _examples(await Deno.readTextFile(_DOC));
  assert.ok(examples.length > 0, "docs/pages.md has ```json <channel> blocks");
  const shown = new Set<string>();
  for (const { channel, lines } of examples) {
    for (const line of lines) {
      const frame = JSON.parse(line);
      assert.equal(_problem(doc, channel, frame), undefined, `${channel}: ${line}`);
      shown.add(`${channel} ${frame.type}`);
    }
  }
  // Every frame of the fleet socket is shown, and every frame an order's viewer gets (but error).
  const fleet = Object.values(doc.channels.fleet.messages) as Json[];
  for (const m of fleet) assert.ok(shown.has(`fleet ${m.payload.properties.type.const}`), m.name);
  const order = Object.values(doc.channels.order.messages) as Json[];
  for (const m of order) {
    const type = m.payload.properties.type.const;
    if (type !== "error") assert.ok(shown.has(`order ${type}`), m.name);
  }
});

Deno.test("the docs' frame check refuses a fleet position without state and a stats frame without a count", async () => {
  const doc = await _served();
  const position = { driverId: "d1", lat: 12.97, lon: 77.59, ts: 1_732_400_000_000 };
  assert.match(
    _problem(doc, "fleet", { type: "positions", drivers: [position] }) ?? "",
    /state/,
  );
  assert.equal(
    _problem(doc, "fleet", { type: "positions", drivers: [{ ...position, state: "idle" }] }),
    undefined,
  );
  const stats = { type: "stats", driversOnline: 1, partitions: [0] };
  assert.ok(_problem(doc, "fleet", { ...stats, activeOrders: null }));
  assert.ok(_problem(doc, "fleet", { ...stats, activeOrders: 1, extra: true }));
  assert.equal(_problem(doc, "fleet", { ...stats, activeOrders: 1 }), undefined);
});

Deno.test("the docs' frame check refuses an order position without its age or stale mark", async () => {
  const doc = await _served();
  const fix = {
    type: "location",
    orderId: "o1",
    driverId: "d1",
    lat: 12.9,
    lon: 77.6,
    ts: 1,
    seq: 1,
  };
  assert.match(_problem(doc, "order", { ...fix, stale: false }) ?? "", /ageMs/);
  assert.match(_problem(doc, "order", { ...fix, ageMs: 0 }) ?? "", /stale/);
  assert.equal(_problem(doc, "order", { ...fix, ageMs: 0, stale: false }), undefined);
  const stale = { type: "stale", orderId: "o1", driverId: "d1", stale: true, ageMs: 30_000, ts: 1 };
  assert.equal(_problem(doc, "order", stale), undefined);
  assert.ok(_problem(doc, "order", { ...stale, stale: false }), "a stale frame always says true");
});
