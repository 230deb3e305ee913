import type Supercluster from "supercluster";
import {
  type Actor,
  ACTOR_DEFAULTS,
  type ActorContext,
  actorKey,
  type ActorKind,
} from "./runtime/mod.ts";
import { type DriverState, type FleetBbox, type FleetFix, FleetIndex } from "./fleet_index.ts";
import { clusterIndexOf, type FleetFrame, FleetViewer } from "./fleet_viewer.ts";
import { type NearbyDriver, nearbyDrivers, type NearbyQuery } from "./nearby_search.ts";
import type { FleetConnection } from "./fleet_protocol.ts";
import type { ZoneEvent } from "../domain/zone_event.ts";

/** An order's driver and status, as the fleet feed reads it (an order event, the start-up read). */
export interface FleetOrder {
  readonly driverId: string | null;
  readonly status: string;
}

/** Messages a FleetFeedActor accepts. */
export type FleetFeedMessage =
  /** One tailer batch of fixes (every partition); `replyTo` once they are in the index. */
  | { type: "fixes"; fixes: readonly FleetFix[]; replyTo?: (changed: number) => void }
  /** Orders changed (or were read at start): their drivers' states follow their statuses. */
  | { type: "orders"; orders: readonly FleetOrder[] }
  /** A fleet socket opened. */
  | { type: "add"; id: string; connection: FleetConnection }
  /** A fleet socket's map moved (conflated per socket: only the newest queued one is kept). */
  | { type: "viewport"; id: string; bbox: FleetBbox; zoom?: number | undefined }
  /** A fleet socket closed. */
  | { type: "remove"; id: string }
  /** A zone event: every fleet socket gets it at once, as a `zone` frame. */
  | { type: "zone"; event: ZoneEvent }
  /** The drivers near a point, nearest first (`GET /drivers/nearby`). */
  | { type: "nearby"; query: NearbyQuery; replyTo: (drivers: NearbyDriver[]) => void }
  /** Shutdown: closes every socket with 1001 and stops the updates; later sockets are closed at once. */
  | { type: "close"; replyTo: (value: void) => void }
  /** Internal: the update timer. */
  | { type: "tick" }
  /** Internal: the count of active orders came in. */
  | { type: "counted"; activeOrders: number };

/** The key of the fleet feed kind: one actor per instance, id {@linkcode FLEET_FEED_ID}. */
export const FLEET_FEED = actorKey<FleetFeedMessage>("fleet-feed");

/** The id of the one fleet feed actor of an instance. */
export const FLEET_FEED_ID = "fleet";

/** What a FleetFeedActor needs from outside. */
export interface FleetFeedActorDeps {
  /** `FLEET_UPDATE_MS`: how often each socket gets what changed in its viewport. */
  readonly updateMs: number;
  /** `FLEET_GONE_MS`: a driver without a fix for this long leaves the index. */
  readonly goneMs: number;
  /** `FLEET_MAX_POINTS`: above this many drivers in a viewport, clusters are sent instead. */
  readonly maxPoints: number;
  /** `VIEWER_BUFFER_BYTES`: a socket with more unsent bytes skips the update. */
  readonly maxBufferedBytes: number;
  /** `NEARBY_MAX_AGE_MS`: the nearby search leaves out older fixes. */
  readonly nearbyMaxAgeMs: number;
  /** The partitions the feed reads (in the stats frame). */
  readonly partitions: readonly number[];
  /** Orders not delivered or cancelled, cluster-wide. */
  readonly activeOrders: () => Promise<number>;
  /** The driver and status of every active order with a driver, read as the actor starts. */
  readonly activeDriverOrders: () => Promise<readonly FleetOrder[]>;
  /** How often the active orders are counted again while sockets are open (default 5 s). */
  readonly statsEveryMs?: number;
}

/** The defaults: the active orders counted again every 5 s while sockets are open. */
export const FLEET_FEED_DEFAULTS = { statsEveryMs: 5_000 } as const;

/**
 * The fleet of drivers for the ops map and the nearby search: keeps each driver's newest fix in a
 * {@linkcode FleetIndex} (whole tailer batches, one message each), each driver's state from its
 * orders, and every `updateMs` (an actor timer, on the actor clock) forgets drivers silent for
 * `goneMs`, then sends each socket with room what changed in its viewport and the stats frame (only
 * once the active orders have been counted). The index answers `nearby` at the actor clock's time.
 */
export class FleetFeedActor implements Actor<FleetFeedMessage> {
  #ctx: ActorContext<FleetFeedMessage>;
  #deps: FleetFeedActorDeps;
  #index = new FleetIndex();
  #viewers = new Map<string, { viewer: FleetViewer; connection: FleetConnection }>();
  /** `null` until the first count is in (no stats frame goes out before it). */
  #activeOrders: number | null = null;
  #countedAt: number;
  #closed = false;

  /** The instance's one fleet feed. */
  constructor(ctx: ActorContext<FleetFeedMessage>, deps: FleetFeedActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#countedAt = ctx.clock.now();
  }

  onStart(): void {
    const ctx = this.#ctx;
    ctx.timers.every("tick", this.#deps.updateMs, { type: "tick" });
    this.#count();
    this.#deps.activeDriverOrders().then(
      (orders) => ctx.signal({ type: "orders", orders }),
      () => {},
    );
  }

  receive(message: FleetFeedMessage): void {
    switch (message.type) {
      case "fixes": {
        const changed = this.#index.update(message.fixes);
        return message.replyTo?.(changed);
      }
      case "orders":
        return this.#setStates(message.orders);
      case "add":
        if (this.#closed) return message.connection.close(1001, "server shutting down");
        this.#viewers.set(message.id, {
          viewer: new FleetViewer(),
          connection: message.connection,
        });
        return;
      case "viewport":
        return this.#viewers.get(message.id)?.viewer.viewport(message.bbox, message.zoom);
      case "remove":
        this.#viewers.delete(message.id);
        return;
      case "zone":
        for (const { connection } of this.#viewers.values()) {
          connection.send({ type: "zone", ...message.event });
        }
        return;
      case "nearby":
        return message.replyTo(this.#nearby(message.query));
      case "close":
        this.#close();
        return message.replyTo();
      case "tick":
        return this.#tick();
      case "counted":
        this.#activeOrders = message.activeOrders;
        return;
    }
  }

  onStop(): void {
    this.#close();
  }

  #nearby(query: NearbyQuery): NearbyDriver[] {
    const options = { now: this.#ctx.clock.now(), maxAgeMs: this.#deps.nearbyMaxAgeMs };
    return nearbyDrivers(this.#index, query, options);
  }

  #setStates(orders: readonly FleetOrder[]): void {
    for (const { driverId, status } of orders) {
      if (driverId !== null) this.#index.setState(driverId, _stateOf(status));
    }
  }

  /** Counts the active orders; the count comes back as a `counted` signal. */
  #count(): void {
    this.#deps.activeOrders().then(
      (n) => this.#ctx.signal({ type: "counted", activeOrders: n }),
      () => {},
    );
  }

  /** One update: expire silent drivers, then send each socket with room its frames and the stats. */
  #tick(): void {
    const deps = this.#deps;
    const now = this.#ctx.clock.now();
    const expired = this.#index.expire(now, deps.goneMs);
    if (this.#viewers.size === 0) return;
    if (now - this.#countedAt >= (deps.statsEveryMs ?? FLEET_FEED_DEFAULTS.statsEveryMs)) {
      this.#countedAt = now;
      this.#count();
    }
    let clusters: Supercluster | undefined;
    const clusterIndex = () => clusters ??= clusterIndexOf(this.#index);
    const stats = this.#statsFrames();
    for (const { viewer, connection } of this.#viewers.values()) {
      if (connection.buffered() > deps.maxBufferedBytes) continue;
      const frames = viewer.tick(this.#index, { maxPoints: deps.maxPoints, expired, clusterIndex });
      for (const frame of [...frames, ...stats]) connection.send(frame);
    }
  }

  #statsFrames(): FleetFrame[] {
    if (this.#activeOrders === null) return [];
    return [{
      type: "stats",
      driversOnline: this.#index.size,
      activeOrders: this.#activeOrders,
      partitions: [...this.#deps.partitions],
    }];
  }

  #close(): void {
    this.#closed = true;
    this.#ctx.timers.cancel("tick");
    for (const { connection } of this.#viewers.values()) {
      connection.close(1001, "server shutting down");
    }
    this.#viewers.clear();
  }
}

/** A driver's state while it has an order in `status`. */
function _stateOf(status: string): DriverState {
  if (status === "assigned") return "to_pickup";
  if (status === "picked_up") return "carrying";
  return "idle";
}

/**
 * Registers FleetFeedActor. A failure (a socket that throws, say) drops that message and keeps
 * the index and the sockets (`resume`). Nothing is dropped by the mailbox but a queued viewport
 * that a newer one of the same socket replaces; the tailer waits for each batch (`ask`).
 */
export function fleetFeedActorKind(deps: FleetFeedActorDeps): ActorKind<FleetFeedMessage> {
  return {
    create: (_id, ctx) => new FleetFeedActor(ctx, deps),
    mailbox: {
      capacity: 1024,
      overflow: "conflate",
      conflateKey: (m) => m.type === "viewport" ? `viewport:${m.id}` : undefined,
    },
    supervision: { ...ACTOR_DEFAULTS.supervision, decide: () => "resume" },
  };
}
