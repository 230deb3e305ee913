import assert from "node:assert/strict";
import { z } from "zod";
import { asyncApiDocument } from "./asyncapi.ts";
import { encodeLocationRecord, type LocationRecord } from "../domain/location_record.ts";
import { encodeOrderEvent, orderEventSchema } from "../domain/order_event.ts";
import { RECORD_SCHEMA_VERSIONS } from "../domain/record_schema_version.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const _FIX: LocationRecord = {
  driverId: "d1",
  seq: 1_732_400_000_001,
  ts: 1_732_400_000_000,
  lat: 12.97,
  lon: 77.59,
  speed: 8.3,
  region: "south",
  receivedAt: 1_732_400_000_050,
};

Deno.test("the topics are channels of the kafka server, at the configured names", () => {
  const doc: Json = asyncApiDocument({
    topics: { locations: "loc-x", orderEvents: "ev-x", zoneEvents: "zone-x" },
  });
  assert.equal(doc.servers.kafka.protocol, "kafka");
  const topics = Object.entries(doc.channels).filter(([, c]: Json) => c.bindings.kafka);
  assert.deepEqual(topics.map(([name, c]: Json) => [name, c.address, c.bindings.kafka.topic]), [
    ["driverLocations", "loc-x", "loc-x"],
    ["orderEvents", "ev-x", "ev-x"],
    ["zoneEvents", "zone-x", "zone-x"],
  ]);
  for (const [, channel] of topics as Json[]) {
    assert.deepEqual(channel.servers, [{ $ref: "#/servers/kafka" }]);
    assert.ok(channel["x-partitioning"].length > 0);
  }
  for (const name of ["driver", "order", "restaurant", "fleet"]) {
    assert.deepEqual(doc.channels[name].servers, [{ $ref: "#/servers/service" }], name);
  }
  assert.equal(doc.operations.driverLocationsSend.action, "send");
  assert.equal((asyncApiDocument() as Json).channels.orderEvents.address, "order-events");
});

Deno.test("every record kind has its key, its schema-version header and its value schema", () => {
  const doc: Json = asyncApiDocument();
  const locations = doc.channels.driverLocations;
  const events = doc.channels.orderEvents;
  assert.deepEqual(Object.keys(locations.messages), ["location"]);
  assert.deepEqual(
    Object.keys(events.messages),
    orderEventSchema.options.map((o) => o.shape.type.value),
  );
  for (
    const [channel, version] of [
      [locations, RECORD_SCHEMA_VERSIONS.locations],
      [events, RECORD_SCHEMA_VERSIONS.orderEvents],
      [doc.channels.zoneEvents, RECORD_SCHEMA_VERSIONS.zoneEvents],
    ] as const
  ) {
    assert.equal(channel["x-schema-version"], version);
    for (const message of Object.values(channel.messages) as Json[]) {
      assert.equal(message.headers.properties["schema-version"].const, String(version));
      assert.deepEqual(message.headers.required, ["schema-version"]);
      assert.equal(message.bindings.kafka.key.type, "string");
    }
  }
  assert.equal(locations.messages.location.bindings.kafka.key.maxLength, 128);
});

Deno.test("what the encoders write fits the value schemas; a record missing a field does not", () => {
  const doc: Json = asyncApiDocument();
  const fits = (schema: Json, text: string) => z.fromJSONSchema(schema).safeParse(JSON.parse(text));
  const location = doc.channels.driverLocations.messages.location.payload;
  assert.ok(fits(location, encodeLocationRecord(_FIX)).success);
  const { region: _, ...noRegion } = _FIX;
  assert.equal(fits(location, JSON.stringify(noRegion)).success, false);
  // A field a newer writer of the same version adds is allowed: readers ignore it.
  assert.ok(fits(location, JSON.stringify({ ..._FIX, battery: 50 })).success);
  const notification = {
    id: "n1",
    orderId: "o1",
    kind: "driver_near" as const,
    thresholdMeters: 500,
    distanceMeters: 420,
    driverId: "d1",
    ts: 1,
    createdAt: 2,
  };
  const text = encodeOrderEvent({ type: "notification", notification });
  assert.ok(fits(doc.channels.orderEvents.messages.notification.payload, text).success);
  assert.equal(fits(doc.channels.orderEvents.messages.order.payload, text).success, false);
});
