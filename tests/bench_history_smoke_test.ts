import assert from "node:assert/strict";
import { parseHistoryArgs } from "../bench/history/history_args.ts";
import { runHistoryScale } from "../bench/history/history_scale.ts";
import { dropSchemas, openPool } from "../bench/history/history_tables.ts";
import { DATABASE_URL } from "./_support.ts";

Deno.test({
  name:
    "bench:history with 20,000 rows fills both tables, reads, inserts, drops a day partition under a writer and reports every section",
  fn: async () => {
    const prefix = `hb_${crypto.randomUUID().slice(0, 8)}_`;
    const args = parseHistoryArgs([
      ...["--database-url", DATABASE_URL, "--schema-prefix", prefix, "--rows", "20000"],
      ...["--days", "3", "--drivers", "100", "--reads", "40", "--tracks", "40"],
      ...["--insert-rows", "4000", "--drop-before", "300", "--drop-after", "200", "--out", ""],
    ]);
    const admin = openPool(DATABASE_URL, 1);
    try {
      const r = await runHistoryScale(args);
      assert.equal(r.layout.shiftFixes, 720, "one fix every 5 s for an hour");
      assert.equal(r.layout.rows, 3 * 9 * 720, "20,000 rows rounded to whole shifts");
      assert.equal(r.fill?.part.rows, r.layout.rows);
      assert.equal(r.fill?.plain.rows, r.layout.rows);
      assert.equal(r.sizes.part.partitions, 5, "3 filled days, today and tomorrow");
      assert.equal(r.sizes.plain.partitions, 0);
      assert.ok(r.sizes.plain.tableBytes > 0 && r.sizes.plain.indexBytes > 0);
      assert.ok(r.sizes.part.largestIndexBytes < r.sizes.part.indexBytes, "a day holds a part");
      // The partitioned key carries every column (migration 004), the plain one only its two.
      assert.ok(r.sizes.part.indexBytes > r.sizes.plain.indexBytes);
      for (const read of [r.hourRead.part, r.hourRead.plain]) {
        assert.equal(read.count, 40);
        assert.equal(read.meanRows, 720, "a working hour holds 720 fixes");
        assert.ok(read.p50 > 0 && read.p50 <= read.p99 && read.p99 <= read.max);
      }
      assert.equal(r.orderTrack.part.meanRows, r.orderTrack.plain.meanRows, "same rows both ways");
      assert.ok(r.orderTrack.part.meanRows >= 240 && r.orderTrack.part.meanRows <= 480);
      assert.equal(r.insert.part.rows, 4000, "every fresh row stored");
      assert.equal(r.insert.plain.rows, 4000);
      assert.ok(r.insert.part.rowsPerS > 0 && r.insert.plain.rowsPerS > 0);
      const removals = [r.removal.dropTable, r.removal.detachConcurrently, r.removal.plainDelete];
      for (const removal of removals) {
        assert.ok(removal, "all three removals ran");
        assert.equal(removal.rowsRemoved, 9 * 720, "one day of rows");
        assert.ok(removal.durationMs > 0 && removal.before.count > 0 && removal.after.count > 0);
      }
      const left = await admin.unsafe(
        `SELECT (SELECT count(*) FROM ${prefix}part.driver_locations)::int AS part,
          (SELECT count(*) FROM ${prefix}plain.driver_locations)::int AS plain`,
      );
      const fresh = 4000 + r.removal.dropTable!.rowsWritten +
        r.removal.detachConcurrently!.rowsWritten;
      assert.equal(left[0]?.part, 9 * 720 + fresh, "two days dropped from part");
      assert.equal(r.cluster?.clustered.length, 1, "the one day left is clustered");
      assert.equal(r.cluster.hourRead.part.meanRows, 720, "clustering keeps every row");
      assert.equal(r.cluster.hourRead.plain.meanRows, 720);
      for (const t of Object.values(r.targets)) assert.equal(typeof t.met, "boolean");
      assert.equal(r.targets.hourReadP99.value, r.hourRead.part.p99);
      assert.equal(r.targets.insertThroughput.value, r.insert.ratio);
    } finally {
      await dropSchemas(admin, [`${prefix}part`, `${prefix}plain`]);
      await admin.end();
    }
  },
});
