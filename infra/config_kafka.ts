import { z } from "zod";
import { flag, int, list, optionalInt, optionalText, setting, text } from "./config_setting.ts";

/**
 * Defaults of settings that infra modules also fall back on when a caller leaves the option out
 * (`ResilientProducer.graceMs`, `KafkaLocationPublisher.maxQueued`): the schema below uses them.
 */
export const KAFKA_OUTAGE_DEFAULTS = {
  /** `KAFKA_OUTAGE_GRACE_MS`, ms. */
  graceMs: 30_000,
  /** `KAFKA_OUTAGE_QUEUE`, records. */
  queued: 100_000,
} as const;

/** The Kafka cluster: brokers, topics, consumer groups, security and outages. */
export const KAFKA_SETTINGS = {
  KAFKA_BROKERS: setting(
    list("127.0.0.1:9092").pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, "host:port")).min(1)),
    { type: "list", shown: "`127.0.0.1:9092`", doc: "comma-separated `host:port` list" },
  ),
  LOCATIONS_TOPIC: text("driver-locations", {
    doc: "the fixes' topic; created at start-up with one partition per region",
  }),
  ORDER_EVENTS_TOPIC: text("order-events", {
    doc: "the order events' topic; created at start-up with one partition per region",
  }),
  ZONE_EVENTS_TOPIC: text("zone-events", {
    doc: "the topic zone events are published to, key = zone id",
  }),
  HISTORY_GROUP: text("history-writer", {
    doc: "the shared consumer group of the regional consumer: the history writer, the notifier " +
      "and the zone judge (one read for all three)",
  }),
  KAFKA_REPLICATION_FACTOR: optionalInt({
    shown: "min(3, brokers in the cluster)",
    doc: "replicas of the topics the service creates; `min.insync.replicas` is 2 from 3 " +
      "replicas up, else 1",
  }),
  KAFKA_TLS: flag(false, { doc: "TLS to the brokers" }),
  KAFKA_TLS_CA_FILE: optionalText({ doc: "PEM file of a private CA for the brokers' TLS" }),
  KAFKA_TLS_CERT_FILE: optionalText({
    doc: "PEM client certificate for the brokers' TLS, with `KAFKA_TLS_KEY_FILE`",
  }),
  KAFKA_TLS_KEY_FILE: optionalText({
    doc: "PEM key of the client certificate, with `KAFKA_TLS_CERT_FILE`",
  }),
  KAFKA_SASL_MECHANISM: setting(z.enum(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]).optional(), {
    type: "`PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`",
    shown: "unset",
    doc: "SASL authentication to the brokers, with `KAFKA_SASL_USERNAME` and " +
      "`KAFKA_SASL_PASSWORD`",
  }),
  KAFKA_SASL_USERNAME: optionalText({ doc: "the SASL user name" }),
  KAFKA_SASL_PASSWORD: optionalText({ doc: "the SASL password" }),
  KAFKA_CONNECT_TIMEOUT_MS: int(30_000, {
    unit: "ms",
    doc: "how long start-up waits for a broker before it exits with code 1 (docs/operations.md)",
  }),
  KAFKA_OUTAGE_GRACE_MS: int(KAFKA_OUTAGE_DEFAULTS.graceMs, {
    unit: "ms",
    doc: "how long accepted fixes wait for an unreachable Kafka before drivers get " +
      "`unavailable` and 1011 (docs/failure_behaviour.md)",
  }),
  KAFKA_PRODUCER_THREAD: flag(false, {
    doc: "encode and send the fixes to Kafka in a thread of their own, beside the one that " +
      "reads the driver sockets and writes the acks; off by default: docs/performance.md, " +
      '"The service\'s own stalls, and the location producer in a thread of its own"',
  }),
  KAFKA_OUTAGE_QUEUE: int(KAFKA_OUTAGE_DEFAULTS.queued, {
    unit: "fixes",
    doc: "accepted fixes held while Kafka is unreachable; past this, new fixes are refused",
  }),
};
