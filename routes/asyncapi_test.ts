import assert from "node:assert/strict";
import { Parser } from "@asyncapi/parser";
import type { z } from "zod";
import { asyncApiDocument } from "./asyncapi.ts";
import { viewportFrameSchema } from "./fleet_ws.ts";
import { driverFrameSchema, driverServerFrameSchema } from "../actors/driver_protocol.ts";
import { DRIVER_CLOSE_CODES, VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import { ERROR_CODES } from "../domain/error_codes.ts";
import { viewerFrameSchema } from "../actors/order_protocol.ts";
import { fleetFrameSchema } from "../actors/fleet_viewer.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** Parser diagnostics of severity 0 (errors); warnings (severity 1+) are allowed. */
async function _errors(doc: Json): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(JSON.stringify(doc));
  return diagnostics.filter((d) => d.severity === 0).map((d) =>
    `${d.code} ${d.message} at ${d.path.join("/")}`
  );
}

/** The `type` values of a frame schema: every option of a union, or the one object. */
function _types(schema: z.ZodType): string[] {
  const options = "options" in schema ? schema.options as z.ZodObject[] : [schema as z.ZodObject];
  return options.map((o) => (o.shape.type as z.ZodLiteral<string>).value);
}

/** The frame types of the messages of a channel's operation with this action. */
function _documented(doc: Json, channel: string, action: "send" | "receive"): string[] {
  const types: string[] = [];
  for (const op of Object.values(doc.operations) as Json[]) {
    if (op.channel.$ref !== `#/channels/${channel}` || op.action !== action) continue;
    for (const ref of op.messages) {
      const key = ref.$ref.split("/").pop();
      types.push(doc.channels[channel].messages[key].payload.properties.type.const);
    }
  }
  return types.sort();
}

Deno.test("the AsyncAPI document is valid AsyncAPI 3 for @asyncapi/parser", async () => {
  assert.deepEqual(await _errors(asyncApiDocument()), []);
});

Deno.test("@asyncapi/parser refuses an operation on a message its channel lacks", async () => {
  const doc: Json = asyncApiDocument();
  doc.operations.driverSend.messages.push({ $ref: "#/channels/driver/messages/server.nope" });
  const errors = await _errors(doc);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /invalid-ref .*server\.nope.* does not exist/);
});

Deno.test("every frame type of the driver, viewer and fleet protocols is in its channel", () => {
  const doc: Json = asyncApiDocument();
  const expected: [string, "send" | "receive", z.ZodType][] = [
    ["driver", "receive", driverFrameSchema],
    ["driver", "send", driverServerFrameSchema],
    ["order", "send", viewerFrameSchema],
    ["restaurant", "send", viewerFrameSchema],
    ["fleet", "receive", viewportFrameSchema],
    ["fleet", "send", fleetFrameSchema],
  ];
  for (const [channel, action, schema] of expected) {
    assert.deepEqual(_documented(doc, channel, action), _types(schema).sort(), channel);
  }
  assert.deepEqual(_documented(doc, "order", "receive"), [], "viewers send nothing");
});

Deno.test("the channel addresses are the socket routes' paths", () => {
  const doc: Json = asyncApiDocument();
  const sockets = Object.values(doc.channels).filter((c: Json) => c.bindings.ws);
  const addresses = sockets.map((c: Json) => c.address).sort();
  assert.deepEqual(addresses, [
    "/ws/driver",
    "/ws/fleet",
    "/ws/orders/{orderId}",
    "/ws/restaurants/{restaurantId}",
  ]);
  assert.deepEqual(Object.keys(doc.channels.order.parameters), ["orderId"]);
});

Deno.test("driver error codes, close codes and typed fix fields are documented", () => {
  const doc: Json = asyncApiDocument();
  const driver = doc.channels.driver;
  assert.deepEqual(driver.messages["server.error"].payload.properties.code.enum, [...ERROR_CODES]);
  assert.deepEqual(
    Object.keys(driver["x-close-codes"]).sort(),
    Object.values(DRIVER_CLOSE_CODES).map(String).sort(),
  );
  for (const code of Object.values(VIEWER_CLOSE_CODES)) {
    assert.ok(doc.channels.order["x-close-codes"][code], `order channel close ${code}`);
  }
  assert.match(doc.channels.order["x-handshake-errors"].join(), /order_not_found/);
  assert.doesNotMatch(doc.channels.fleet["x-handshake-errors"].join(), /too_many_sockets/);
  // Fix fields are `z.custom` numbers (for the filter's own error codes): typed through `meta`.
  const location = driver.messages["client.location"].payload;
  assert.equal(location.properties.lat.type, "number");
  assert.deepEqual(location.required, ["lat", "lon", "ts", "type"]);
  const batch = driver.messages["client.locations"].payload.properties.points;
  assert.equal(batch.maxItems, 100);
  assert.equal(batch.items.properties.ts.type, "number");
});

Deno.test("the zone-events topic is a Kafka channel: key = zone id, payload = the zone event", () => {
  const doc: Json = asyncApiDocument();
  const channel = doc.channels.zoneEvents;
  assert.equal(channel.address, "zone-events");
  assert.deepEqual(channel.servers, [{ $ref: "#/servers/kafka" }]);
  assert.equal(doc.servers.kafka.protocol, "kafka");
  const message = channel.messages.zoneEvent;
  assert.deepEqual(message.payload.properties.kind.enum, ["enter", "exit", "dwell"]);
  assert.match(message.bindings.kafka.key.description, /zone id/);
  assert.equal(doc.operations.zoneEventsSend.action, "send");
  assert.equal(doc.channels.fleet.messages["server.zone"].name, "zone");
});
