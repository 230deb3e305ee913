import type { BaselineSeries, ChartData, ChartPoint } from "./chart_data.ts";

const W = 760, H = 420, L = 80, R = 80, T = 50, B = 60;

/**
 * The chart's scales: offered load across (`x`), fixes/s up the left axis (`y`), latency up
 * the right one (`z`), each from 0 to its max.
 */
interface _Scales {
  xMax: number;
  yMax: number;
  zMax: number;
  x: (v: number) => number;
  y: (v: number) => number;
  z: (v: number) => number;
  /** a reference line at `v` is drawn; one far above the data is named in the legend only */
  fits: (v: number | undefined) => boolean;
}

/** A legend entry: stroke color, dash pattern ("" for solid), label. */
type _LegendEntry = [string, string, string];

/** The chart as it is drawn: its SVG elements so far, and the legend's entries. */
interface _Drawing {
  out: string[];
  legend: _LegendEntry[];
}

/**
 * Renders throughput (accepted and stored fixes/s, with the ceiling and naive baseline as
 * reference lines) and p99 ack latency against offered load as a standalone SVG document.
 */
export function renderChart(d: ChartData): string {
  const pts = [...d.points].sort((a, b) => a.offered - b.offered);
  const others = d.baselines ?? [];
  const s = _scales(d, pts, others);
  const drawing: _Drawing = { out: _axes(d.title, s), legend: [] };
  _referenceLine(drawing, s, d.ceiling, "#d32f2f", "Kafka ceiling");
  _referenceLine(drawing, s, d.naive, "#ef6c00", "naive kafkajs");
  _allSeries(drawing, s, pts, others);
  drawing.out.push(..._legend(drawing.legend));
  drawing.out.push("</svg>");
  return drawing.out.join("\n") + "\n";
}

/** Scales that hold every point, and the reference lines not far above them. */
function _scales(d: ChartData, pts: ChartPoint[], others: BaselineSeries[]): _Scales {
  const data = Math.max(
    1,
    ...pts.flatMap((p) => [p.offered, p.accepted, p.stored]),
    ...others.flatMap((b) => b.points.flatMap((p) => [p.offered, p.accepted])),
    d.naive ?? 0,
  );
  const xMax = _nice(
    Math.max(
      1,
      ...pts.map((p) => p.offered),
      ...others.flatMap((b) => b.points.map((p) => p.offered)),
    ),
  );
  // A reference line far above the data would flatten it: such a line is named, not drawn.
  const fits = (v: number | undefined) => v !== undefined && Number.isFinite(v) && v <= data * 1.5;
  const yMax = _nice(Math.max(data, fits(d.ceiling) ? d.ceiling! : 0));
  const lat = [
    ...pts.flatMap((p) => [p.p99, p.viewerP99]),
    ...others.flatMap((b) => b.points.map((p) => p.p99)),
  ].filter(_known);
  const zMax = _nice(Math.max(1, ...lat) * 1.15); // headroom under the legend
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => H - B - (v / yMax) * (H - T - B);
  const z = (v: number) => H - B - (v / zMax) * (H - T - B);
  return { xMax, yMax, zMax, x, y, z, fits };
}

/** The document's head, title, grid, both axes with their ticks and labels, and the diagonal. */
function _axes(title: string, s: _Scales): string[] {
  const { xMax, yMax, zMax, x, y, z } = s;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${
      _esc(title)
    }</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const vx = (xMax * i) / 5, vy = (yMax * i) / 5, vz = (zMax * i) / 5;
    out.push(
      `<line x1="${L}" x2="${W - R}" y1="${_f(y(vy))}" y2="${_f(y(vy))}" stroke="#eee"/>`,
      `<text x="${L - 6}" y="${_f(y(vy) + 4)}" text-anchor="end">${_fmt(vy)}</text>`,
      `<text x="${W - R + 6}" y="${_f(z(vz) + 4)}" fill="#7b1fa2">${_fmt(vz)}</text>`,
      `<text x="${_f(x(vx))}" y="${H - B + 18}" text-anchor="middle">${_fmt(vx)}</text>`,
    );
  }
  out.push(
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${W - R}" y1="${T}" x2="${W - R}" y2="${H - B}" stroke="#7b1fa2"/>`,
    `<text x="${W / 2}" y="${H - 20}" text-anchor="middle">offered load (fixes/s)</text>`,
    `<text transform="translate(20 ${H / 2}) rotate(-90)" text-anchor="middle">fixes/s</text>`,
    `<text transform="translate(${W - 20} ${
      H / 2
    }) rotate(90)" text-anchor="middle" fill="#7b1fa2">p99 latency (ms)</text>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${_f(x(xMax))}" y2="${
      _f(y(xMax))
    }" stroke="#bbb" stroke-dasharray="4 4"/>`,
  );
  return out;
}

/** A horizontal reference line at `v` fixes/s, or only its legend entry when it does not fit. */
function _referenceLine(
  drawing: _Drawing,
  s: _Scales,
  v: number | undefined,
  color: string,
  label: string,
): void {
  if (v === undefined || !Number.isFinite(v)) return;
  if (!s.fits(v)) {
    drawing.legend.push([color, "6 3", `${label} ${_fmt(v)}/s (above the chart)`]);
    return;
  }
  drawing.out.push(
    `<line x1="${L}" x2="${W - R}" y1="${_f(s.y(v))}" y2="${
      _f(s.y(v))
    }" stroke="${color}" stroke-dasharray="6 3"/>`,
  );
  drawing.legend.push([color, "6 3", `${label} ${_fmt(v)}/s`]);
}

/** The service's series (accepted, stored, both p99s), then each baseline's (dashed). */
function _allSeries(
  drawing: _Drawing,
  s: _Scales,
  pts: ChartPoint[],
  others: BaselineSeries[],
): void {
  const { x, y, z } = s;
  const series = (vals: [number, number][], color: string, label: string, dash = "") =>
    _series(drawing, vals, color, label, dash);
  series(pts.map((p) => [x(p.offered), y(p.accepted)]), "#1565c0", "accepted (acked)");
  series(pts.map((p) => [x(p.offered), y(p.stored)]), "#2e7d32", "stored in PostgreSQL");
  series(
    pts.filter((p) => _known(p.p99)).map((p) => [x(p.offered), z(p.p99!)]),
    "#7b1fa2",
    "p99 ack latency (right axis)",
  );
  series(
    pts.filter((p) => _known(p.viewerP99)).map((p) => [x(p.offered), z(p.viewerP99!)]),
    "#00897b",
    "p99 viewer latency (right axis)",
  );
  for (const b of others) {
    const bp = [...b.points].sort((p, q) => p.offered - q.offered);
    series(bp.map((p) => [x(p.offered), y(p.accepted)]), b.color, `${b.label} accepted`, "5 3");
    series(
      bp.filter((p) => _known(p.p99)).map((p) => [x(p.offered), z(p.p99!)]),
      b.color,
      `${b.label} p99 ack (right axis)`,
      "1 3",
    );
  }
}

/** One series as a polyline with a dot at each point (nothing without points), and its legend. */
function _series(
  drawing: _Drawing,
  vals: [number, number][],
  color: string,
  label: string,
  dash: string,
): void {
  if (vals.length === 0) return;
  drawing.out.push(
    `<polyline fill="none" stroke="${color}" stroke-width="2"${
      dash ? ` stroke-dasharray="${dash}"` : ""
    } points="${vals.map(([a, b]) => `${_f(a)},${_f(b)}`).join(" ")}"/>`,
  );
  for (const [a, b] of vals) {
    drawing.out.push(`<circle cx="${_f(a)}" cy="${_f(b)}" r="3.5" fill="${color}"/>`);
  }
  drawing.legend.push([color, dash, label]);
}

/** The legend, one line and label per entry, top left. */
function _legend(legend: readonly _LegendEntry[]): string[] {
  return legend.flatMap(([color, dash, label], i) => {
    const ly = T + 8 + i * 16;
    return [
      `<line x1="${L + 10}" x2="${
        L + 34
      }" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${
        dash ? ` stroke-dasharray="${dash}"` : ""
      }/>`,
      `<text x="${L + 40}" y="${ly + 4}">${_esc(label)}</text>`,
    ];
  });
}

function _known(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

function _nice(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function _fmt(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(1)}`;
}

function _f(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

function _esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
