import assert from "node:assert/strict";
import {
  DEFAULT_FIX_RULES,
  judgeFix,
  type LastFix,
  MIN_FIX_TS,
  storableFix,
} from "./fix_filter.ts";
import { fixSchema } from "./fix.ts";

const NOW = 1_732_400_000_000;
const last: LastFix = { lat: 12.97, lon: 77.59, ts: NOW - 5_000 };
const judge = (fix: { lat: number; lon: number; ts: number }, prior?: LastFix, speedRejects = 0) =>
  judgeFix(fix, { last: prior, now: NOW, speedRejects });
const codeOf = (verdict: ReturnType<typeof judge>) => verdict.ok ? "ok" : verdict.code;

Deno.test("judgeFix accepts a plausible first fix and a plausible next fix", () => {
  assert.equal(codeOf(judge({ lat: 12.97, lon: 77.59, ts: NOW })), "ok");
  assert.equal(codeOf(judge({ lat: 12.9701, lon: 77.5901, ts: NOW }, last)), "ok");
});

Deno.test("judgeFix rejects latitude outside [-90, 90] and longitude outside [-180, 180]", () => {
  assert.equal(codeOf(judge({ lat: 90.0001, lon: 10, ts: NOW })), "out_of_range");
  assert.equal(codeOf(judge({ lat: -91, lon: 10, ts: NOW })), "out_of_range");
  assert.equal(codeOf(judge({ lat: 10, lon: 180.5, ts: NOW })), "out_of_range");
  assert.equal(codeOf(judge({ lat: 10, lon: -181, ts: NOW })), "out_of_range");
  assert.equal(codeOf(judge({ lat: 90, lon: -180, ts: NOW })), "ok");
});

Deno.test("judgeFix rejects non-finite numbers in any field", () => {
  assert.equal(codeOf(judge({ lat: Infinity, lon: 10, ts: NOW })), "not_finite");
  assert.equal(codeOf(judge({ lat: 10, lon: NaN, ts: NOW })), "not_finite");
  const withSpeed = { lat: 10, lon: 10, ts: NOW, speed: -Infinity };
  assert.equal(
    codeOf(judgeFix(withSpeed, { last: undefined, now: NOW, speedRejects: 0 })),
    "not_finite",
  );
});

Deno.test("judgeFix names each field of a fix that is not finite, whichever the schema lists", () => {
  for (const name of Object.keys(fixSchema.shape)) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const fix = { lat: 10, lon: 10, ts: NOW, [name]: bad };
      const verdict = judgeFix(fix, { last: undefined, now: NOW, speedRejects: 0 });
      assert.deepEqual(verdict, {
        ok: false,
        code: "not_finite",
        message: `${name} must be a finite number`,
      });
    }
  }
});

Deno.test("judgeFix rejects (0, 0) as a GPS fault", () => {
  assert.equal(codeOf(judge({ lat: 0, lon: 0, ts: NOW })), "null_island");
  assert.equal(codeOf(judge({ lat: 0, lon: 0.1, ts: NOW })), "ok");
});

Deno.test("judgeFix rejects a ts beyond the future margin but allows skew within it", () => {
  const margin = DEFAULT_FIX_RULES.futureMarginMs;
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: NOW + margin })), "ok");
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: NOW + margin + 1 })), "future_timestamp");
});

Deno.test("judgeFix rejects a ts that is not a positive integer", () => {
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: 1.5 })), "invalid_frame");
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: -5 })), "invalid_frame");
});

Deno.test("judgeFix rejects a fix equal to the last one as duplicate and older as stale", () => {
  assert.equal(codeOf(judge({ lat: 12.97, lon: 77.59, ts: last.ts }, last)), "duplicate");
  assert.equal(codeOf(judge({ lat: 12.97, lon: 77.59, ts: last.ts - 1 }, last)), "stale");
});

Deno.test("judgeFix rejects a jump that implies an impossible speed", () => {
  // ~11 km in 5 s is ~2,200 m/s.
  assert.equal(codeOf(judge({ lat: 13.07, lon: 77.59, ts: NOW }, last)), "impossible_speed");
  // ~300 m in 5 s is 60 m/s: fast, but allowed under 70 m/s.
  assert.equal(codeOf(judge({ lat: 12.9727, lon: 77.59, ts: NOW }, last)), "ok");
});

Deno.test("judgeFix accepts after repeated speed rejections so a bad last fix cannot trap a driver", () => {
  const far = { lat: 13.07, lon: 77.59, ts: NOW };
  const limit = DEFAULT_FIX_RULES.speedRejectsBeforeReset;
  assert.equal(codeOf(judge(far, last, limit - 1)), "impossible_speed");
  assert.equal(codeOf(judge(far, last, limit)), "ok");
});

Deno.test("judgeFix refuses speed, heading and accuracy outside their ranges, naming the field", () => {
  const base = { lat: 10, lon: 10, ts: NOW };
  const verdict = (extra: Record<string, number>) =>
    judgeFix({ ...base, ...extra }, { last: undefined, now: NOW, speedRejects: 0 });
  for (
    const [field, value] of [
      ["speed", 1e39],
      ["speed", 150.01],
      ["speed", -1],
      ["heading", 360.5],
      ["heading", -0.1],
      ["accuracy", 100_001],
      ["accuracy", -5],
    ] as const
  ) {
    const v = verdict({ [field]: value });
    assert.equal(v.ok ? "ok" : v.code, "out_of_range", `${field}=${value}`);
    assert.match(v.ok ? "" : v.message, new RegExp(`^${field} `));
  }
  for (const extra of [{ speed: 0 }, { speed: 150 }, { heading: 360 }, { accuracy: 1e-50 }]) {
    assert.equal(codeOf(verdict(extra)), "ok", JSON.stringify(extra));
  }
});

Deno.test("judgeFix refuses a ts in epoch seconds as timestamp_not_ms, and accepts a week-old fix", () => {
  const seconds = judge({ lat: 1, lon: 1, ts: Math.floor(NOW / 1000) });
  assert.equal(codeOf(seconds), "timestamp_not_ms");
  assert.match(seconds.ok ? "" : seconds.message, /milliseconds/);
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: MIN_FIX_TS - 1 })), "timestamp_not_ms");
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: MIN_FIX_TS })), "too_old");
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: NOW - 8 * 86_400_000 })), "ok");
});

Deno.test("judgeFix refuses a fix older than the history retention (maxAgeMs) as too_old", () => {
  const rules = { ...DEFAULT_FIX_RULES, maxAgeMs: 2 * 86_400_000 };
  const at = (ts: number) =>
    codeOf(judgeFix({ lat: 1, lon: 1, ts }, { last, now: NOW, speedRejects: 0 }, rules));
  const old = judgeFix({ lat: 1, lon: 1, ts: NOW - 2 * 86_400_000 - 1 }, {
    last: undefined,
    now: NOW,
    speedRejects: 0,
  }, rules);
  assert.equal(codeOf(old), "too_old");
  assert.match(old.ok ? "" : old.message, /more than 2 days old/);
  // Judged before the comparison with the last fix: an old fix is too_old, not stale.
  assert.equal(at(NOW - 3 * 86_400_000), "too_old");
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: NOW - 30 * 86_400_000 - 1 })), "too_old");
  assert.equal(codeOf(judge({ lat: 1, lon: 1, ts: NOW - 30 * 86_400_000 })), "ok");
});

Deno.test("storableFix stores denormal measurements as 0 and keeps the rest", () => {
  const fix = { lat: 1, lon: 1, ts: NOW, speed: 1e-50, heading: 5e-324, accuracy: 3.5 };
  assert.deepEqual(storableFix(fix), { ...fix, speed: 0, heading: 0, accuracy: 3.5 });
  assert.deepEqual(storableFix({ lat: 1, lon: 1, ts: NOW }), { lat: 1, lon: 1, ts: NOW });
  assert.ok(Object.is(storableFix({ ...fix, speed: -0 }).speed, 0));
  const plain = { lat: 1, lon: 1, ts: NOW, speed: 0, heading: 90, accuracy: 4 };
  assert.equal(storableFix(plain), plain, "nothing to flush: the same fix, no copy");
});
