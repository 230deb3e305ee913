import type { Hono } from "hono";
import { ZONE_JUDGE, zoneJudgeActorKind } from "../actors/zone_judge_actor.ts";
import { ZoneIndex } from "../actors/zone_index.ts";
import type { Config } from "../infra/config.ts";
import { KafkaZoneEventPublisher } from "../infra/kafka/zone_event_publisher.ts";
import { TailerSlot } from "../infra/kafka/tailer_slot.ts";
import { PostgresZoneEventStore } from "../infra/postgres/zone_event_store.ts";
import { PostgresZoneStore } from "../infra/postgres/zone_store.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import { decodeZoneEvent, type ZoneEvent } from "../domain/zone_event.ts";
import type { AuthEnv } from "../routes/auth.ts";
import { zonesHttpRoute } from "../routes/zones_http.ts";
import { logger } from "../lib/log.ts";
import type { Core } from "./core.ts";
import { decodeAll } from "./decode_all.ts";
import type { Infrastructure } from "./infrastructure.ts";
import { ZONE_EVENT_VERSION } from "../infra/kafka/record_version.ts";
import { tailerVersion } from "./tailer_version.ts";

const _log = logger("zones");

/** What the zones need from the pipelines started before them. */
export interface ZonesDeps {
  /** Order-events: a dwell in a restaurant's zone notifies that restaurant's orders. */
  readonly orderEvents: OrderEventPublisher;
  /** Every zone event read from zone-events (whichever instance decided it): the fleet map. */
  readonly onZoneEvent: (event: ZoneEvent) => void;
}

/** The zones, started. */
export interface Zones {
  /** `/zones`. */
  readonly routes: Hono<AuthEnv>;
  /** Stops the zone-events tailer and the re-reads; closes the producer. */
  close(): Promise<void>;
}

/**
 * Zones, on top of the location pipeline (docs/zones.md):
 * - `/zones` stores zones in PostgreSQL; every instance holds them all in an R-tree, re-read
 *   when the store's fingerprint changes (`ZONES_REFRESH_MS`, at once for a change made here);
 * - the zone judge (ZoneJudgeActor per partition) gets driver-locations from the location judges'
 *   consumer group, shared by all instances with the notifier (`location_judges.ts`), so each fix
 *   is judged once: enter, exit, dwell, stored once and published to zone-events (key = zone id);
 *   a dwell in a restaurant's zone notifies its orders;
 * - a zone-events tailer (every partition) hands each event to this instance's fleet maps.
 */
export async function startZones(
  config: Config,
  core: Core,
  infra: Infrastructure,
  deps: ZonesDeps,
): Promise<Zones> {
  const store = new PostgresZoneStore(infra.sql);
  const eventStore = new PostgresZoneEventStore(infra.sql);
  const reachM = config.ZONE_EXIT_MARGIN_M;
  let index = new ZoneIndex(await store.list(), reachM);
  let seen = await store.fingerprint();
  let reading: Promise<void> | undefined;
  const reread = () =>
    reading ??= (async () => {
      const now = await store.fingerprint();
      if (now !== seen) [index, seen] = [new ZoneIndex(await store.list(), reachM), now];
    })().catch((error) => _log.warn("zones not re-read", { error })).finally(() =>
      reading = undefined
    );
  const timer = setInterval(reread, config.ZONES_REFRESH_MS);
  const events = new KafkaZoneEventPublisher({
    kafka: infra.kafka,
    topic: config.ZONE_EVENTS_TOPIC,
    graceMs: config.KAFKA_OUTAGE_GRACE_MS,
    health: core.health,
  });
  core.system.register(
    ZONE_JUDGE,
    zoneJudgeActorKind({
      store: eventStore,
      events,
      zones: () => index,
      rules: { enterMarginM: config.ZONE_ENTER_MARGIN_M, exitMarginM: config.ZONE_EXIT_MARGIN_M },
      arrivals: { orders: infra.orders, events: deps.orderEvents },
      onError: (error) => _log.warn("zone judge trouble", { error }),
      health: core.health,
      stopping: core.stopping,
    }),
  );
  const tailer = _startZoneEventsTailer(config, core, infra, deps.onZoneEvent);
  return {
    routes: zonesHttpRoute({
      secret: config.JWT_SECRET,
      store,
      events: eventStore,
      changed: reread,
    }),
    close: async () => {
      clearInterval(timer);
      await tailer.close();
      await reading;
      await events.close();
    },
  };
}

/** zone-events, every partition, from now on → `onZoneEvent` (the fleet maps of this instance). */
function _startZoneEventsTailer(
  config: Config,
  core: Core,
  infra: Infrastructure,
  onZoneEvent: (event: ZoneEvent) => void,
) {
  const slot = new TailerSlot({
    kafka: infra.kafka,
    topic: config.ZONE_EVENTS_TOPIC,
    clientId: `zones-${config.INSTANCE_ID}`,
    ...tailerVersion(ZONE_EVENT_VERSION, core.metrics, config.ZONE_EVENTS_TOPIC),
    onRecords: (_partition, values) => {
      const decoded = decodeAll(values, decodeZoneEvent, core.metrics, config.ZONE_EVENTS_TOPIC);
      for (const event of decoded) onZoneEvent(event);
    },
  });
  slot.want(Array.from({ length: infra.regions.partitionCount }, (_, p) => p));
  return core.supervise("zone-events-tailer", slot.open);
}
