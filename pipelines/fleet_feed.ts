import { type DriverState, FleetIndex } from "../actors/fleet_index.ts";
import { nearbyDrivers } from "../actors/nearby_search.ts";
import { clusterIndexOf, type FleetFrame, FleetViewer } from "../actors/fleet_viewer.ts";
import type Supercluster from "supercluster";
import type { Supervise } from "../actors/stream_actor.ts";
import type { Config } from "../infra/config.ts";
import type { KafkaConnection } from "../infra/kafka/kafka_connection.ts";
import type { Metrics } from "../infra/metrics.ts";
import { decodeLocationRecord } from "../domain/location_record.ts";
import { TailerSlot } from "../infra/kafka/tailer_slot.ts";
import { LOCATION_RECORD_VERSION } from "../infra/kafka/record_version.ts";
import { tailerVersion } from "./tailer_version.ts";
import type { RegionOutlines } from "../infra/regions/region_outlines.ts";
import type { FleetConnection, FleetFeed } from "../actors/fleet_protocol.ts";

/** What the fleet feed needs from the service. */
export interface FleetFeedDeps {
  readonly config: Config;
  readonly kafka: KafkaConnection;
  /** Runs the feed's tailer under supervision (component `fleet-tailer`). */
  readonly supervise: Supervise;
  readonly outlines: RegionOutlines;
  readonly metrics?: Metrics;
  /** Orders not delivered or cancelled, cluster-wide (refreshed every few seconds). */
  readonly activeOrders: () => Promise<number>;
  /** The driver and status of every active order with a driver, read once at start. */
  readonly activeDriverOrders: () => Promise<{ driverId: string; status: string }[]>;
}

const STATS_EVERY_MS = 5_000;

/**
 * Drivers for the ops map and the nearby search, across instances: a tailer reads, with direct
 * assignment, every driver-locations partition (every instance's drivers are in them), keeps each
 * driver's newest fix in a {@linkcode FleetIndex} (which answers `GET /drivers/nearby` through
 * `nearbyDrivers`, leaving out fixes older than `NEARBY_MAX_AGE_MS`), and every
 * `FLEET_UPDATE_MS` each socket gets what changed in its viewport (at most one position per driver
 * per interval), `gone` for drivers that left it or fell silent for `FLEET_GONE_MS`, or clusters
 * when it holds more than `FLEET_MAX_POINTS`. A socket whose send buffer is over
 * `VIEWER_BUFFER_BYTES` skips the tick, and gets the newest positions on a later one.
 */
export function startFleetFeed(deps: FleetFeedDeps): FleetFeed {
  const { config, outlines } = deps;
  const index = new FleetIndex();
  // What each driver is doing: from the active orders now, then from every order event.
  deps.activeDriverOrders().then(
    (orders) => orders.forEach((o) => index.setState(o.driverId, _stateOf(o.status))),
    () => {},
  );
  const viewers: _Viewers = new Map();
  // Every partition, whether or not a map is open: the nearby search needs every driver.
  const partitions = outlines.partitionsFor([-180, -90, 180, 90]);
  // Counted now, so the first stats frame has it; no stats frame goes out before it is known.
  const stats: _Stats = { activeOrders: null, statsAt: Date.now(), partitions };
  deps.activeOrders().then((n) => stats.activeOrders = n, () => {});
  const slot = _fleetSlot(deps, index);
  slot.want(partitions);
  const supervised = deps.supervise("fleet-tailer", slot.open);
  const timer = setInterval(() => _tick(deps, index, viewers, stats), config.FLEET_UPDATE_MS);

  return {
    add: (id, connection) => {
      viewers.set(id, { viewer: new FleetViewer(), connection });
    },
    viewport: (id, bbox, zoom) => {
      const entry = viewers.get(id);
      if (!entry) return;
      entry.viewer.viewport(bbox, zoom);
    },
    remove: (id) => {
      viewers.delete(id);
    },
    nearby: (query) =>
      nearbyDrivers(index, query, { now: Date.now(), maxAgeMs: config.NEARBY_MAX_AGE_MS }),
    zoneEvent: (event) => {
      for (const { connection } of viewers.values()) connection.send({ type: "zone", ...event });
    },
    orderChanged: (order) => {
      if (order.driverId !== null) index.setState(order.driverId, _stateOf(order.status));
    },
    close: async () => {
      clearInterval(timer);
      for (const { connection } of viewers.values()) {
        connection.close(1001, "server shutting down");
      }
      viewers.clear();
      await supervised.close();
    },
  };
}

type _Viewers = Map<string, { viewer: FleetViewer; connection: FleetConnection }>;

/** What the stats frame says besides the index: refreshed now and then, and on repartition. */
interface _Stats {
  /** `null` until the first count is in (no stats frame is sent until then). */
  activeOrders: number | null;
  statsAt: number;
  partitions: number[];
}

/** The feed's tailer: rebuilt after failures; the partitions it reads outlive each build. */
function _fleetSlot(deps: FleetFeedDeps, index: FleetIndex): TailerSlot {
  const { config, metrics } = deps;
  return new TailerSlot({
    kafka: deps.kafka,
    topic: config.LOCATIONS_TOPIC,
    clientId: `fleet-${config.INSTANCE_ID}`,
    ...tailerVersion(LOCATION_RECORD_VERSION, metrics, config.LOCATIONS_TOPIC),
    onRecords: (_partition, values) => {
      const records = [];
      for (const value of values) {
        try {
          records.push(decodeLocationRecord(value));
        } catch {
          metrics?.badRecords.inc({ topic: config.LOCATIONS_TOPIC });
        }
      }
      index.update(records);
    },
  });
}

/** One update: expire silent drivers, then send each socket with room its frames and the stats. */
function _tick(deps: FleetFeedDeps, index: FleetIndex, viewers: _Viewers, stats: _Stats): void {
  const { config } = deps;
  const now = Date.now();
  const expired = index.expire(now, config.FLEET_GONE_MS);
  if (viewers.size === 0) return;
  if (now - stats.statsAt >= STATS_EVERY_MS) {
    stats.statsAt = now;
    deps.activeOrders().then((n) => stats.activeOrders = n, () => {});
  }
  let clusters: Supercluster | undefined;
  const clusterIndex = () => clusters ??= clusterIndexOf(index);
  const statsFrames: FleetFrame[] = stats.activeOrders === null ? [] : [{
    type: "stats",
    driversOnline: index.size,
    activeOrders: stats.activeOrders,
    partitions: stats.partitions,
  }];
  for (const { viewer, connection } of viewers.values()) {
    if (connection.buffered() > config.VIEWER_BUFFER_BYTES) continue;
    const frames = viewer.tick(index, {
      maxPoints: config.FLEET_MAX_POINTS,
      expired,
      clusterIndex,
    });
    for (const f of [...frames, ...statsFrames]) connection.send(f);
  }
}

/** A driver's state while it has an order in `status`. */
function _stateOf(status: string): DriverState {
  if (status === "assigned") return "to_pickup";
  if (status === "picked_up") return "carrying";
  return "idle";
}
