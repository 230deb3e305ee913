import assert from "node:assert/strict";
import { formatLoopLag, loopLagBetween, parseLoopLag } from "./loop_lag.ts";

const page = (sum: number, count: number, le01: number, le025: number) =>
  `# TYPE tracking_event_loop_lag_seconds histogram
tracking_event_loop_lag_seconds_bucket{le="0.05"} ${le01 - 1}
tracking_event_loop_lag_seconds_bucket{le="0.1"} ${le01}
tracking_event_loop_lag_seconds_bucket{le="0.25"} ${le025}
tracking_event_loop_lag_seconds_bucket{le="+Inf"} ${count}
tracking_event_loop_lag_seconds_sum ${sum}
tracking_event_loop_lag_seconds_count ${count}
`;

Deno.test("parseLoopLag reads the sum, the count and the samples above 100 and 250 ms", () => {
  assert.deepEqual(parseLoopLag(page(1.5, 1000, 990, 998)), {
    sum: 1.5,
    count: 1000,
    over100ms: 10,
    over250ms: 2,
  });
  assert.equal(parseLoopLag("tracking_open_sockets 3\n"), undefined);
});

Deno.test("loopLagBetween sums each process's change over the window, leaving out the unpaired", () => {
  const first = new Map([
    ["w0", parseLoopLag(page(1, 1000, 995, 1000))!],
    ["w1", parseLoopLag(page(2, 500, 500, 500))!],
    ["gone", parseLoopLag(page(9, 9, 0, 0))!],
  ]);
  const last = new Map([
    ["w0", parseLoopLag(page(1.6, 2000, 1990, 1999))!],
    ["w1", parseLoopLag(page(2.4, 1500, 1498, 1500))!],
    ["new", parseLoopLag(page(5, 5, 0, 0))!],
  ]);
  const lag = loopLagBetween(first, last, 20);
  assert.deepEqual(lag, { seconds: 20, latePercent: 5, stallsOver100ms: 7, stallsOver250ms: 1 });
  assert.equal(formatLoopLag(lag!), "late 5% of 20 s, 7 stalls > 100 ms, 1 > 250 ms");
  assert.equal(loopLagBetween(new Map(), last, 20), undefined);
});
