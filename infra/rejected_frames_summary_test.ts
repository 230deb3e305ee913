import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { Metrics } from "./metrics.ts";
import { DEAD_LETTER_SUMMARY, RejectedFramesSummary } from "./rejected_frames_summary.ts";
import { configureLogging, resetLogging } from "../lib/log_setup.ts";

Deno.test("RejectedFramesSummary logs the per-minute rise by reason, and nothing for a quiet minute", async () => {
  const clock = FakeTimers.createClock(0);
  const metrics = new Metrics();
  const lines: string[] = [];
  configureLogging({ write: (line) => lines.push(line) });
  const summary = new RejectedFramesSummary(metrics.fixesRejected, {
    timers: {
      setInterval: (run, ms) => clock.setInterval(run, ms),
      clearInterval: (id) => clock.clearInterval(id as ReturnType<typeof clock.setInterval>),
    },
  });
  try {
    // Counted before start: not part of any minute's summary.
    metrics.fixesRejected.inc({ reason: "stale" }, 7);
    await summary.start();
    metrics.fixesRejected.inc({ reason: "stale" }, 2);
    metrics.fixesRejected.inc({ reason: "out_of_range" });
    clock.tick(59_999);
    await Promise.resolve();
    assert.equal(lines.length, 0, "nothing before the minute is up");
    clock.tick(1);
    await summary.stop(); // waits for the summary under way
    await summary.start();
    // A quiet minute.
    clock.tick(60_000);
    metrics.fixesRejected.inc({ reason: "too_fast" }, 3);
    clock.tick(60_000);
    await summary.stop();
    clock.tick(180_000);
    const parsed = lines.map((l) => JSON.parse(l));
    assert.deepEqual(parsed.map(({ time: _, ...rest }) => rest), [
      {
        level: "info",
        logger: "tracking.drivers",
        message: "frames rejected",
        total: 3,
        byReason: { stale: 2, out_of_range: 1 },
        intervalMs: 60_000,
      },
      {
        level: "info",
        logger: "tracking.drivers",
        message: "frames rejected",
        total: 3,
        byReason: { too_fast: 3 },
        intervalMs: 60_000,
      },
    ]);
  } finally {
    await summary.stop();
    resetLogging();
  }
});

Deno.test("RejectedFramesSummary sums up dead letters by topic in one warn line per interval, however many rows", async () => {
  const clock = FakeTimers.createClock(0);
  const metrics = new Metrics();
  const lines: string[] = [];
  configureLogging({ write: (line) => lines.push(line) });
  const summary = new RejectedFramesSummary(metrics.deadLetters, {
    ...DEAD_LETTER_SUMMARY,
    timers: {
      setInterval: (run, ms) => clock.setInterval(run, ms),
      clearInterval: (id) => clock.clearInterval(id as ReturnType<typeof clock.setInterval>),
    },
  });
  try {
    await summary.start();
    for (let i = 0; i < 9_900; i++) metrics.deadLetters.inc({ topic: "driver-locations" });
    metrics.deadLetters.inc({ topic: "other" }, 2);
    clock.tick(60_000);
    await summary.stop();
    const parsed = lines.map((l) => JSON.parse(l));
    assert.deepEqual(parsed.map(({ time: _, ...rest }) => rest), [{
      level: "warn",
      logger: "tracking.history",
      message: "history rows set aside (see the dead_letters table)",
      total: 9_902,
      byTopic: { "driver-locations": 9_900, other: 2 },
      intervalMs: 60_000,
    }]);
  } finally {
    await summary.stop();
    resetLogging();
  }
});
