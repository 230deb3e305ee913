import assert from "node:assert/strict";
import { runPipelineLevel } from "../bench/pipeline_level.ts";
import { runId, SECRET } from "./_support.ts";

const DATABASE_URL = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
const DRIVERS = 100;
const VIEWERS = 5;

Deno.test({
  name:
    "bench baselines: the floor and the naive pipeline, fed by the simulator against the real broker and PostgreSQL, ack and store every fix and clean up after themselves",
  fn: async () => {
    const prefix = runId();
    const spec = { name: "t", drivers: DRIVERS, intervalMs: 500, durationS: 2, rampUpS: 1 };
    const ctx = {
      secret: SECRET,
      databaseUrl: DATABASE_URL,
      drainS: 10,
      procs: 1,
      viewers: VIEWERS,
      sourceIps: [],
      prefix,
    };
    const t0 = performance.now();
    const [floor, naive] = await Promise.all([
      runPipelineLevel("floor", spec, { ...ctx, prefix: `${prefix}f` }),
      runPipelineLevel("naive", spec, { ...ctx, prefix: `${prefix}n` }),
    ]);
    console.log(
      `baselines in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
        [floor, naive].map((r) =>
          `${r.pipeline} ${r.sim.acked}/${r.sim.sent} acked, ${r.storedRows} stored, ` +
          `viewer frames ${JSON.stringify(r.sim.viewers?.frames ?? {})}, ` +
          r.stages.map((s) => `${s.stage} ${s.perFixUs} µs/fix`).join(", ")
        ).join("; "),
    );
    for (const r of [floor, naive]) {
      assert.ok(r.sim.sent >= DRIVERS * 4, `${r.pipeline}: sent ${r.sim.sent}`);
      assert.ok(r.sim.acked >= r.sim.sent * 0.95, `${r.pipeline}: ${r.sim.acked} acked`);
      assert.deepEqual(r.sim.errors, {}, `${r.pipeline}: no errors`);
      // Rows are unique per (driver, ts): at least as many as acked, none beyond what was sent.
      assert.ok((r.storedRows ?? 0) >= r.sim.acked, `${r.pipeline}: ${r.storedRows} stored`);
      assert.ok((r.storedRows ?? 0) <= r.sim.sent, `${r.pipeline}: no row that was not sent`);
      assert.equal(r.kafkaLagAfterDrain, 0, `${r.pipeline}: its writer caught up`);
      for (const s of r.stages) assert.ok(s.cpuSeconds > 0, `${r.pipeline} ${s.stage}: CPU`);
    }
    assert.deepEqual(floor.stages.map((s) => s.stage), ["ingest", "history", "live"]);
    assert.deepEqual(naive.stages.map((s) => s.stage), ["ingest", "history"]);
    assert.ok((floor.sim.viewers?.frames["location"] ?? 0) > 0, "floor viewers got positions");
    assert.ok(naive.viewerNote, "the naive pipeline says why it has no viewer latency");
    // The level's topic, groups and table are gone.
    const { Admin } = await import("@platformatic/kafka");
    const admin = new Admin({ clientId: "test", bootstrapBrokers: ["127.0.0.1:9092"] });
    try {
      const topics = await admin.listTopics();
      assert.ok(!topics.some((t) => t.includes(prefix)), "no topic of the run is left");
    } finally {
      await admin.close();
    }
    const { default: postgres } = await import("postgres");
    const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      const left = await sql`SELECT tablename FROM pg_tables
        WHERE tablename LIKE ${`bench_${prefix.toLowerCase().replace(/[^a-z0-9]+/g, "_")}%`}`;
      assert.equal(left.length, 0, "no table of the run is left");
    } finally {
      await sql.end();
    }
  },
});
