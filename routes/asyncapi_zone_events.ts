import { zoneEventSchema } from "../domain/zone_event.ts";
import { jsonSchema } from "./json_schema.ts";

type Json = Record<string, unknown>;

/**
 * The zone-events Kafka topic in the AsyncAPI document: a `kafka` server, the channel (address
 * = the default topic name, `ZONE_EVENTS_TOPIC`), and the service's `send` operation on it. Any
 * consumer group may read it; each event is published once (docs/zones.md).
 */
export function zoneEventsAsyncApi(): { servers: Json; channels: Json; operations: Json } {
  return {
    servers: {
      kafka: {
        host: "localhost:9092",
        protocol: "kafka",
        description: "the Kafka cluster the service uses (`KAFKA_BROKERS`)",
      },
    },
    channels: {
      zoneEvents: {
        address: "zone-events",
        title: "Kafka topic zone-events",
        description: "Each `enter`, `exit` and `dwell` of a driver and a zone, decided once " +
          "cluster-wide by the zone judge (consumer group `ZONES_GROUP` on driver-locations) " +
          "and published once: stored first, unique per zone, driver, kind and visit " +
          "(`episode`), then sent until marked sent. Key = the zone id, so one zone's events " +
          "stay in order; one partition per region partition. The topic name is " +
          "`ZONE_EVENTS_TOPIC` (default `zone-events`). A consumer that must never see a " +
          "repeat (a crash between sending and marking) drops a seen `id`.",
        servers: [{ $ref: "#/servers/kafka" }],
        messages: {
          zoneEvent: {
            name: "zoneEvent",
            title: "zone event",
            summary: "A driver entered, left or dwelt in a zone.",
            payload: jsonSchema(zoneEventSchema, { io: "output", target: "draft-07" }),
            bindings: {
              kafka: {
                key: { type: "string", description: "the zone id" },
                bindingVersion: "0.5.0",
              },
            },
          },
        },
      },
    },
    operations: {
      zoneEventsSend: {
        action: "send",
        channel: { $ref: "#/channels/zoneEvents" },
        summary: "The service publishes zone events",
        messages: [{ $ref: "#/channels/zoneEvents/messages/zoneEvent" }],
      },
    },
  };
}
