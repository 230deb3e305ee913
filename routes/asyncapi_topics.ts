import type { z } from "zod";
import { locationRecordSchema } from "../domain/location_record.ts";
import { orderEventSchema } from "../domain/order_event.ts";
import { RECORD_SCHEMA_VERSIONS, SCHEMA_VERSION_HEADER } from "../domain/record_schema_version.ts";
import { zoneEventSchema } from "../domain/zone_event.ts";
import { jsonSchema } from "./json_schema.ts";

type Json = Record<string, unknown>;

/**
 * The names of the topics the service writes (`LOCATIONS_TOPIC`, `ORDER_EVENTS_TOPIC`,
 * `ZONE_EVENTS_TOPIC`).
 */
export interface TopicNames {
  readonly locations: string;
  readonly orderEvents: string;
  readonly zoneEvents: string;
}

/** The topic names when the configuration leaves them alone. */
export const DEFAULT_TOPIC_NAMES: TopicNames = {
  locations: "driver-locations",
  orderEvents: "order-events",
  zoneEvents: "zone-events",
};

/** What the topics add to the AsyncAPI document: a `kafka` server, channels, operations. */
export interface AsyncApiTopics {
  readonly server: Json;
  readonly channels: Json;
  readonly operations: Json;
}

const _KAFKA = { $ref: "#/servers/kafka" };
const _BINDING = "0.5.0";

/**
 * The Kafka topics other teams read, as AsyncAPI channels on a `kafka` server: each record's key
 * (message binding `kafka.key`), headers (`schema-version`), value (the JSON Schema of the zod
 * schema the service encodes and decodes it with) and partitioning rule (`x-partitioning`).
 * Value schemas are what a reader of this version accepts: a writer of the same version may add
 * optional fields, so unknown keys are allowed. Operations are the service's: it `send`s both.
 */
export function asyncApiTopics(names: TopicNames = DEFAULT_TOPIC_NAMES): AsyncApiTopics {
  const [order, notification] = orderEventSchema.options;
  const orderId = order.shape.order.shape.id;
  const channels: Json = {
    driverLocations: _channel(names.locations, {
      about: "Every fix a driver actor accepted (WebSocket or phone), in the order accepted. " +
        "A fix re-sent after a reconnect can appear twice: it keeps its `ts`, so `(driverId, " +
        "ts)` identifies a fix. Read by the history writer and the notifier (consumer groups) " +
        "and each instance's live and fleet views.",
      partitioning: "The partition of the region the fix lies in (the regions file gives each " +
        "region a partition; several may share one; the topic has one partition per partition " +
        "number). A driver crossing a region boundary changes partition, so a driver's fixes " +
        "are ordered by `seq` (a per-driver clock), not by offset across partitions.",
      version: RECORD_SCHEMA_VERSIONS.locations,
      key: [locationRecordSchema.shape.driverId, "The driver id (the value's `driverId`)."],
      messages: {
        location: ["An accepted fix.", locationRecordSchema],
      },
    }),
    orderEvents: _channel(names.orderEvents, {
      about: "Every order change, as the whole order after it (created, assigned, picked up, " +
        "delivered, cancelled), and every stored notification: each record stands alone. Read " +
        "by each instance (every partition) to keep its order and restaurant views in step.",
      partitioning: "By key: murmur2 of the order id's UTF-8 bytes, as an unsigned 32-bit " +
        "number, modulo the partition count (`@platformatic/kafka`'s default partitioner; the " +
        "Java client masks the sign bit instead, so do not compute partitions from it). One " +
        "order's events stay in one partition, in order. As many partitions as driver-locations.",
      version: RECORD_SCHEMA_VERSIONS.orderEvents,
      key: [orderId, "The order id (the value's `order.id` or `notification.orderId`)."],
      messages: {
        order: ["The whole order after a change.", order],
        notification: ["A notification stored once per order and threshold.", notification],
      },
    }),
    zoneEvents: _channel(names.zoneEvents, {
      about: "Each `enter`, `exit` and `dwell` of a driver and a zone, decided once " +
        "cluster-wide by the zone judge (consumer group `HISTORY_GROUP` on driver-locations, " +
        "shared with the history writer and the notifier) and " +
        "published once: stored first, unique per zone, driver, kind and visit (`episode`), then " +
        "sent until marked sent. A consumer that must never see a repeat (a crash between " +
        "sending and marking) drops an `id` it has seen (docs/zones.md).",
      partitioning: "By key: murmur2 of the zone id (the client's default partitioner, as for " +
        "order-events), so one zone's events stay in one partition, in order.",
      version: RECORD_SCHEMA_VERSIONS.zoneEvents,
      key: [zoneEventSchema.shape.zoneId, "The zone id (the value's `zoneId`)."],
      messages: {
        zoneEvent: ["A driver entered, left or dwelt in a zone.", zoneEventSchema],
      },
    }),
  };
  return { server: _server(), channels, operations: _sendOperations(channels) };
}

/** The service's `send` operation on each channel, with every message of the channel. */
function _sendOperations(channels: Json): Json {
  const operations: Json = {};
  for (const [name, channel] of Object.entries(channels) as [string, { messages: Json }][]) {
    operations[`${name}Send`] = {
      action: "send",
      channel: { $ref: `#/channels/${name}` },
      summary: "The service writes these records (idempotent producer, `acks=all`)",
      messages: Object.keys(channel.messages).map((key) => ({
        $ref: `#/channels/${name}/messages/${key}`,
      })),
    };
  }
  return operations;
}

/** What one topic's channel is made of. */
interface TopicSpec {
  readonly about: string;
  readonly partitioning: string;
  readonly version: number;
  /** The key's zod schema, and what it is. */
  readonly key: readonly [z.ZodType, string];
  /** One message per kind of record: what it is, and its value's zod schema. */
  readonly messages: Record<string, readonly [string, z.ZodType]>;
}

/** The channel of topic `topic`. */
function _channel(topic: string, spec: TopicSpec): Json {
  const headers = _headers(spec.version);
  const key = { ...jsonSchema(spec.key[0], { io: "input", target: "draft-07" }) };
  key.description = `${spec.key[1]} UTF-8.`;
  const messages: Json = {};
  for (const [name, [summary, schema]] of Object.entries(spec.messages)) {
    messages[name] = {
      name,
      title: `${topic}: ${name}`,
      summary,
      contentType: "application/json",
      headers,
      payload: jsonSchema(schema, { io: "input", target: "draft-07" }),
      bindings: { kafka: { key, bindingVersion: _BINDING } },
    };
  }
  return {
    address: topic,
    title: `Kafka topic ${topic}`,
    description: `${spec.about} Value: UTF-8 JSON; header \`${SCHEMA_VERSION_HEADER}\`.`,
    servers: [_KAFKA],
    messages,
    bindings: { kafka: { topic, bindingVersion: _BINDING } },
    "x-partitioning": spec.partitioning,
    "x-schema-version": spec.version,
  };
}

/** The headers every record of a topic of schema version `version` carries. */
function _headers(version: number): Json {
  return {
    type: "object",
    properties: {
      [SCHEMA_VERSION_HEADER]: {
        type: "string",
        const: String(version),
        description: `The value's schema version, ASCII digits. A record without it is version ` +
          "1 (written before the header existed). A reader dead-letters or skips, and never " +
          "decodes, a record of a version newer than it knows.",
      },
    },
    required: [SCHEMA_VERSION_HEADER],
  };
}

/** The Kafka cluster: the service's `KAFKA_BROKERS`, not published; the dev broker by default. */
function _server(): Json {
  return {
    host: "{bootstrap}",
    protocol: "kafka",
    description: "The Kafka cluster the service is configured with (`KAFKA_BROKERS`).",
    variables: {
      bootstrap: {
        default: "127.0.0.1:9092",
        description: "A bootstrap broker, `host:port` (the dev broker by default).",
      },
    },
  };
}
