/** Serialisable state of a {@linkcode LatencyHistogram}, for merging across processes. */
export interface LatencyHistogramJson {
  /** bucket index -> count, only non-empty buckets */
  buckets: Record<string, number>;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Relative width of a bucket: values are reported within about 1% of the truth. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values at or below this (ms) share bucket 0. */
const FLOOR_MS = 0.01;

/**
 * A log-bucketed latency histogram (like HdrHistogram, about 1% relative error) with fixed
 * memory, so millions of ack latencies can be recorded and merged across simulator processes.
 * Percentiles use the nearest-rank definition of {@linkcode percentile} and report the upper
 * edge of the bucket, clamped to the largest recorded value.
 */
export class LatencyHistogram {
  #counts = new Map<number, number>();
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  /** Records one latency in milliseconds (negative values count as 0). */
  record(ms: number): void {
    const v = Math.max(0, ms);
    const i = _index(v);
    this.#counts.set(i, (this.#counts.get(i) ?? 0) + 1);
    this.#count++;
    this.#sum += v;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /** Number of recorded values. */
  get count(): number {
    return this.#count;
  }

  /** Mean, or `NaN` when empty. */
  get mean(): number {
    return this.#count === 0 ? NaN : this.#sum / this.#count;
  }

  /** Nearest-rank percentile in ms (about 1% high at worst), `NaN` when empty. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
    if (this.#count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    if (rank === 1) return this.#min;
    if (rank === this.#count) return this.#max;
    const keys = [...this.#counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.#counts.get(k) ?? 0;
      if (seen >= rank) return Math.max(this.#min, Math.min(this.#max, _upper(k)));
    }
    return this.#max;
  }

  /** Adds another histogram's values to this one. */
  merge(other: LatencyHistogram | LatencyHistogramJson): void {
    const j = other instanceof LatencyHistogram ? other.toJSON() : other;
    for (const [k, c] of Object.entries(j.buckets)) {
      const i = Number(k);
      this.#counts.set(i, (this.#counts.get(i) ?? 0) + c);
    }
    this.#count += j.count;
    this.#sum += j.sum;
    if (j.count > 0) {
      this.#min = Math.min(this.#min, j.min);
      this.#max = Math.max(this.#max, j.max);
    }
  }

  /** A JSON-safe copy of the state. */
  toJSON(): LatencyHistogramJson {
    const buckets: Record<string, number> = {};
    for (const [k, c] of this.#counts) buckets[String(k)] = c;
    return { buckets, count: this.#count, sum: this.#sum, min: this.#min, max: this.#max };
  }

  /** Rebuilds a histogram from {@linkcode LatencyHistogram.toJSON} output. */
  static fromJSON(json: LatencyHistogramJson): LatencyHistogram {
    const h = new LatencyHistogram();
    h.merge(json);
    return h;
  }
}

function _index(v: number): number {
  return v <= FLOOR_MS ? 0 : 1 + Math.floor(Math.log(v / FLOOR_MS) / LOG_GROWTH);
}

function _upper(i: number): number {
  return i === 0 ? FLOOR_MS : FLOOR_MS * GROWTH ** i;
}
