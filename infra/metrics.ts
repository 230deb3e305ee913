import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { TrackingMetrics } from "../domain/tracking_metrics.ts";

/** Buckets of the latency histograms, in seconds. */
const _LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Buckets of the batch size histograms. */
const _SIZE_BUCKETS = [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/**
 * The service's Prometheus metrics, one registry per instance (tests create their own).
 * Actor-runtime metrics are collected on scrape through {@linkcode Metrics.onScrape}. Actors see
 * it as `TrackingMetrics` (`domain/tracking_metrics.ts`).
 */
export class Metrics implements TrackingMetrics {
  /** The registry `GET /metrics` renders. */
  readonly registry: Registry = new Registry();
  /** Fixes accepted by driver actors. */
  readonly fixesAccepted: Counter<"region"> = new Counter({
    name: "tracking_fixes_accepted_total",
    help: "Fixes accepted and handed to Kafka, by region.",
    labelNames: ["region"],
    registers: [this.registry],
  });
  /** Fixes and frames rejected, by error code. */
  readonly fixesRejected: Counter<"reason"> = new Counter({
    name: "tracking_fixes_rejected_total",
    help: "Frames and fixes rejected, by error code.",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  /** Time from handing a batch to the Kafka producer to the broker's acknowledgement. */
  readonly produceSeconds: Histogram = new Histogram({
    name: "tracking_produce_seconds",
    help: "Kafka produce latency per batch.",
    buckets: _LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** Messages in each produce batch. */
  readonly produceBatchSize: Histogram = new Histogram({
    name: "tracking_produce_batch_size",
    help: "Messages per Kafka produce batch.",
    buckets: _SIZE_BUCKETS,
    registers: [this.registry],
  });
  /** Records per batch a consumer group's reader hands to its sink (one partition's share). */
  readonly consumedBatchSize: Histogram<"group"> = new Histogram({
    name: "tracking_consumed_batch_size",
    help: "Records per batch handed from a consumer group to its sink (history, notifier).",
    labelNames: ["group"],
    buckets: _SIZE_BUCKETS,
    registers: [this.registry],
  });
  /** Rows in each history flush. */
  readonly flushRows: Histogram = new Histogram({
    name: "tracking_history_flush_rows",
    help: "Rows per history flush into PostgreSQL.",
    buckets: _SIZE_BUCKETS,
    registers: [this.registry],
  });
  /** Duration of each history flush (insert into PostgreSQL). */
  readonly flushSeconds: Histogram = new Histogram({
    name: "tracking_history_flush_seconds",
    help: "History flush latency.",
    buckets: _LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** History flushes that failed and will be retried. */
  readonly flushFailures: Counter = new Counter({
    name: "tracking_history_flush_failures_total",
    help: "History flushes that failed (retried with backoff).",
    registers: [this.registry],
  });
  /** Records read from Kafka that could not be decoded and were skipped. */
  readonly badRecords: Counter<"topic"> = new Counter({
    name: "tracking_bad_records_total",
    help: "Kafka records that failed validation and were skipped.",
    labelNames: ["topic"],
    registers: [this.registry],
  });
  /**
   * Records whose `schema-version` header is newer than this service knows (or not a version):
   * never decoded; the history writer dead-letters them, the other readers skip them.
   */
  readonly unknownVersions: Counter<"topic"> = new Counter({
    name: "tracking_unknown_schema_version_total",
    help: "Kafka records of a schema version newer than this reader knows, set aside undecoded.",
    labelNames: ["topic"],
    registers: [this.registry],
  });
  /** Consumer lag per topic and partition. */
  readonly consumerLag: Gauge<"group" | "topic" | "partition"> = new Gauge({
    name: "tracking_consumer_lag",
    help: "Records behind the end of the partition, per consumer group.",
    labelNames: ["group", "topic", "partition"],
    registers: [this.registry],
  });
  /** Open WebSocket connections by route. */
  readonly sockets: Gauge<"route"> = new Gauge({
    name: "tracking_open_sockets",
    help: "Open WebSocket connections.",
    labelNames: ["route"],
    registers: [this.registry],
  });
  /** Actor runtime metrics by kind. */
  readonly actors: Gauge<"kind" | "metric"> = new Gauge({
    name: "tracking_actors",
    help: "Actor runtime metrics by kind (live, mailbox_depth, processed, dropped, ...).",
    labelNames: ["kind", "metric"],
    registers: [this.registry],
  });
  /** 1 while a component (a Kafka client, a sink) does its job, 0 while it cannot. */
  readonly componentUp: Gauge<"component"> = new Gauge({
    name: "tracking_component_up",
    help: "1 while the component does its job (Kafka clients consuming, sinks storing), else 0.",
    labelNames: ["component"],
    registers: [this.registry],
  });
  /** Times a component was rebuilt after a failure. */
  readonly componentRestarts: Counter<"component"> = new Counter({
    name: "tracking_component_restarts_total",
    help: "Times a component was closed and rebuilt after a failure.",
    labelNames: ["component"],
    registers: [this.registry],
  });
  /** Records set aside because they cannot be stored, by topic. */
  readonly deadLetters: Counter<"topic"> = new Counter({
    name: "tracking_dead_letters_total",
    help: "Records that could not be stored as data, kept in the dead_letters table, by topic.",
    labelNames: ["topic"],
    registers: [this.registry],
  });
  /** Requests refused by a resource limit (docs/limits.md), by error code. */
  readonly limitRefusals: Counter<"reason"> = new Counter({
    name: "tracking_limit_refusals_total",
    help:
      "Requests refused by a resource limit: body_too_large, too_many_sockets, server_at_capacity, " +
      "too_many_streams, rate_limited (REST), connections_full (TCP connections over the cap).",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  /** Drivers the notifier knows to have no active order (`actors/orderless_drivers.ts`). */
  readonly orderlessDrivers: Gauge = new Gauge({
    name: "tracking_notifier_orderless_drivers",
    help: "Drivers this instance's notifier found without an active order and does not ask " +
      "PostgreSQL about again until one of their orders changes.",
    registers: [this.registry],
  });
  /**
   * How late a timer due every 20 ms ran (`infra/event_loop_lag.ts`): how long work that became
   * ready waited for the one JavaScript thread (a long turn, a garbage collection, no CPU).
   */
  readonly eventLoopLag: Histogram = new Histogram({
    name: "tracking_event_loop_lag_seconds",
    help: "How late a timer due every 20 ms ran on the service's JavaScript thread: how long " +
      "ready work (frames, Kafka answers, acks) waited for it.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Always 1, labelled with this process's `INSTANCE_ID`: tells which instance answered a scrape. */
  readonly instanceInfo: Gauge<"instance"> = new Gauge({
    name: "tracking_instance_info",
    help: "1, labelled with the INSTANCE_ID of the process that answered.",
    labelNames: ["instance"],
    registers: [this.registry],
  });
  #scrapeHooks: (() => void)[] = [];

  /** `options.instance` labels {@linkcode Metrics.instanceInfo} (none: no such series). */
  constructor(options: { readonly instance?: string } = {}) {
    if (options.instance !== undefined) this.instanceInfo.set({ instance: options.instance }, 1);
  }

  /** Registers a function that refreshes gauges right before each scrape. */
  onScrape(hook: () => void): void {
    this.#scrapeHooks.push(hook);
  }

  /** Renders the Prometheus text exposition. */
  async render(): Promise<string> {
    for (const hook of this.#scrapeHooks) hook();
    return await this.registry.metrics();
  }
}
