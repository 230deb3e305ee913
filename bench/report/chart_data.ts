/** One measured load level of a chart (`renderChart`, svg_chart.ts). */
export interface ChartPoint {
  /** offered load, fixes/s */
  offered: number;
  /** fixes/s acked by the service */
  accepted: number;
  /** fixes/s stored in PostgreSQL */
  stored: number;
  /** p99 ack latency, ms (NaN/null when unknown) */
  p99: number | null;
  /** p99 viewer latency (fix sent to shown to a customer), ms, when the level had viewers */
  viewerP99?: number | null;
}

/** What a chart of a bench run shows: the input of `renderChart` (svg_chart.ts). */
export interface ChartData {
  title: string;
  points: ChartPoint[];
  /** Kafka ProducerPerformance records/s, drawn as a horizontal line */
  ceiling?: number;
  /** naive kafkajs fixes/s, drawn as a horizontal line */
  naive?: number;
  /** other pipelines at the same loads (floor, naive pipeline): accepted and p99, dashed */
  baselines?: BaselineSeries[];
}

/** A baseline pipeline's accepted fixes/s and p99 ack latency per offered load. */
export interface BaselineSeries {
  label: string;
  color: string;
  points: { offered: number; accepted: number; p99: number | null }[];
}
