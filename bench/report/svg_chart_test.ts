import assert from "node:assert/strict";
import { renderChart } from "./svg_chart.ts";

const DATA = {
  title: "bench <2026-01-01> & co",
  points: [
    { offered: 20_000, accepted: 19_500, stored: 19_000, p99: 420 },
    { offered: 5_000, accepted: 5_000, stored: 5_000, p99: 210 },
    { offered: 50_000, accepted: 31_000, stored: 25_000, p99: null },
  ],
  ceiling: 48_000,
  naive: 900,
};

Deno.test("renderChart draws accepted, stored and p99 series in offered-load order", () => {
  const svg = renderChart(DATA);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(" "));
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.length, 3);
  assert.equal(lines[2]!.length, 2, "a level without p99 is left out of the latency line");
  const xs = lines[0]!.map((p) => Number(p.split(",")[0]));
  assert.deepEqual([...xs].sort((a, b) => a - b), xs);
  assert.match(svg, /Kafka ceiling 48k\/s/);
  assert.match(svg, /naive kafkajs 900\/s/);
});

Deno.test("renderChart escapes text and balances its tags", () => {
  const svg = renderChart(DATA);
  assert.match(svg, /bench &lt;2026-01-01&gt; &amp; co/);
  assert.doesNotMatch(svg, /<2026/);
  const open = (svg.match(/<(svg|text)\b/g) ?? []).length;
  const close = (svg.match(/<\/(svg|text)>/g) ?? []).length;
  assert.equal(open, close);
});

Deno.test("renderChart copes with no points", () => {
  const svg = renderChart({ title: "empty", points: [] });
  assert.doesNotMatch(svg, /NaN|Infinity/);
  assert.doesNotMatch(svg, /<polyline/);
});

Deno.test("renderChart adds a p99 viewer latency line for the levels that had viewers", () => {
  const svg = renderChart({
    title: "viewers",
    points: [
      { offered: 5_000, accepted: 5_000, stored: 5_000, p99: 40, viewerP99: 60 },
      { offered: 10_000, accepted: 10_000, stored: 10_000, p99: 50, viewerP99: 90 },
      { offered: 20_000, accepted: 15_000, stored: 15_000, p99: 900 },
    ],
  });
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(" "));
  assert.equal(lines.length, 4);
  assert.equal(lines[3]!.length, 2);
  assert.match(svg, /p99 viewer latency/);
});

Deno.test("renderChart draws each baseline pipeline's accepted and p99 lines, dashed", () => {
  const svg = renderChart({
    ...DATA,
    baselines: [{
      label: "floor",
      color: "#455a64",
      points: [{ offered: 5_000, accepted: 5_000, p99: 40 }, {
        offered: 20_000,
        accepted: 20_000,
        p99: 90,
      }],
    }],
  });
  const dashed = [...svg.matchAll(/<polyline [^>]*stroke="#455a64"[^>]*stroke-dasharray/g)];
  assert.equal(dashed.length, 2, "accepted and p99 lines of the floor");
  assert.match(svg, /floor accepted/);
  assert.match(svg, /floor p99 ack \(right axis\)/);
});
