import assert from "node:assert/strict";
import { metricTotal } from "./metric_total.ts";

const PAGE = `# HELP tracking_fixes_accepted_total Fixes accepted
# TYPE tracking_fixes_accepted_total counter
tracking_fixes_accepted_total{region="north"} 120
tracking_fixes_accepted_total{region="south"} 30
tracking_fixes_accepted_total_created{region="north"} 1700000000
tracking_fixes_rejected_total{reason="stale"} 4
tracking_uptime_seconds 12.5
`;

Deno.test("metricTotal sums every series of one metric, and nothing of its neighbours", () => {
  assert.equal(metricTotal(PAGE, "tracking_fixes_accepted_total"), 150);
  assert.equal(metricTotal(PAGE, "tracking_uptime_seconds"), 12.5);
  assert.equal(metricTotal(PAGE, "tracking_fixes_rejected_total"), 4);
  assert.equal(metricTotal(PAGE, "tracking_missing_total"), 0);
});
