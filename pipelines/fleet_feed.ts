import {
  FLEET_FEED,
  FLEET_FEED_ID,
  fleetFeedActorKind,
  type FleetFeedMessage,
  type FleetOrder,
} from "../actors/fleet_feed_actor.ts";
import type { NearbyDriver } from "../actors/nearby_search.ts";
import type { ActorRef, ActorSystem } from "../actors/runtime/mod.ts";
import type { Supervise } from "../actors/stream_actor.ts";
import type { Config } from "../infra/config.ts";
import type { KafkaConnection } from "../infra/kafka/kafka_connection.ts";
import type { Metrics } from "../infra/metrics.ts";
import { decodeLocationRecord, type LocationRecord } from "../domain/location_record.ts";
import { TailerSlot } from "../infra/kafka/tailer_slot.ts";
import { FETCH_WAITS } from "../infra/kafka/fetch_wait.ts";
import { LOCATION_RECORD_VERSION } from "../infra/kafka/record_version.ts";
import { decodeAll } from "./decode_all.ts";
import { tailerVersion } from "./tailer_version.ts";
import type { RegionOutlines } from "../infra/regions/region_outlines.ts";
import type { FleetFeed } from "../actors/fleet_protocol.ts";

/** What the fleet feed needs from the service. */
export interface FleetFeedDeps {
  readonly config: Config;
  readonly kafka: KafkaConnection;
  /** The actor system the fleet feed actor runs in. */
  readonly system: ActorSystem;
  /** Runs the instance's location tailer under supervision (component `location-tailer`). */
  readonly supervise: Supervise;
  readonly outlines: RegionOutlines;
  readonly metrics: Metrics;
  /** Orders not delivered or cancelled, cluster-wide (refreshed every few seconds). */
  readonly activeOrders: () => Promise<number>;
  /** The driver and status of every active order with a driver, read as the actor starts. */
  readonly activeDriverOrders: () => Promise<readonly FleetOrder[]>;
  /**
   * Also handed every decoded batch, before the fleet index gets it: the live fan-out, which so
   * reads nothing of its own (one fetch and one decode of each fix for both).
   */
  readonly onFixes: (partition: number, fixes: readonly LocationRecord[]) => void;
}

/**
 * Drivers for the ops map and the nearby search, across instances: the instance's location tailer
 * (under supervision) reads, with direct assignment, every driver-locations partition (every
 * instance's drivers are in them), decodes each batch, hands it to `onFixes` (the live fan-out)
 * and whole to the one `FleetFeedActor`, which keeps the index, the drivers' states and the
 * sockets, and decides what each socket is sent and when (`FLEET_UPDATE_MS`, `FLEET_GONE_MS`,
 * `FLEET_MAX_POINTS`, `VIEWER_BUFFER_BYTES`). This file only wires: the tailer to the actor and to
 * `onFixes`, and the fleet socket's calls to messages.
 */
export function startFleetFeed(deps: FleetFeedDeps): FleetFeed {
  const { config, system } = deps;
  // Every partition, whether or not a map is open: the nearby search needs every driver.
  const partitions = deps.outlines.partitionsFor([-180, -90, 180, 90]);
  system.register(
    FLEET_FEED,
    fleetFeedActorKind({
      updateMs: config.FLEET_UPDATE_MS,
      goneMs: config.FLEET_GONE_MS,
      maxPoints: config.FLEET_MAX_POINTS,
      maxBufferedBytes: config.VIEWER_BUFFER_BYTES,
      nearbyMaxAgeMs: config.NEARBY_MAX_AGE_MS,
      partitions,
      activeOrders: deps.activeOrders,
      activeDriverOrders: deps.activeDriverOrders,
    }),
  );
  const feed = system.ref(FLEET_FEED, FLEET_FEED_ID);
  const slot = _locationSlot(deps, feed);
  slot.want(partitions);
  const supervised = deps.supervise("location-tailer", slot.open);
  let closed = false;
  const tell = (message: FleetFeedMessage) => {
    if (!closed) feed.tell(message);
  };
  return {
    add: (id, connection) => {
      if (closed) return connection.close(1001, "server shutting down");
      feed.tell({ type: "add", id, connection });
    },
    viewport: (id, bbox, zoom) => tell({ type: "viewport", id, bbox, zoom }),
    remove: (id) => tell({ type: "remove", id }),
    nearby: (query) => feed.ask<NearbyDriver[]>((replyTo) => ({ type: "nearby", query, replyTo })),
    zoneEvent: (event) => tell({ type: "zone", event }),
    orderChanged: (order) => tell({ type: "orders", orders: [order] }),
    close: async () => {
      await supervised.close();
      await feed.ask<void>((replyTo) => ({ type: "close", replyTo }));
      closed = true;
    },
  };
}

/**
 * The instance's location tailer: rebuilt after failures; the partitions it reads outlive each
 * build. Each batch goes to `onFixes`, then to the actor as one message, and the tailer reads on
 * once the actor has it indexed.
 */
function _locationSlot(deps: FleetFeedDeps, feed: ActorRef<FleetFeedMessage>): TailerSlot {
  const { config, metrics } = deps;
  const topic = config.LOCATIONS_TOPIC;
  return new TailerSlot({
    kafka: deps.kafka,
    topic,
    clientId: `locations-${config.INSTANCE_ID}`,
    fetchWait: FETCH_WAITS.live,
    ...tailerVersion(LOCATION_RECORD_VERSION, metrics, topic),
    onRecords: async (partition, values) => {
      const fixes = decodeAll(values, decodeLocationRecord, metrics, topic);
      if (fixes.length === 0) return;
      deps.onFixes(partition, fixes);
      await feed.ask<number>((replyTo) => ({ type: "fixes", fixes, replyTo }), {
        timeoutMs: Infinity,
      });
    },
  });
}
