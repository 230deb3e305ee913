import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import { type DriverFrame, type DriverSocket, MAX_BATCH_POINTS } from "./driver_protocol.ts";
import { parseDriverFrame } from "./parse_driver_frame.ts";
import type { Fix } from "../domain/fix.ts";
import { CLOSE_CODES } from "../domain/close_codes.ts";
import type { ErrorCode } from "../domain/error_codes.ts";
import { DEFAULT_FIX_RULES, type FixRules, judgeFix, storableFix } from "../domain/fix_filter.ts";
import { fixRecord, type LocationRecord } from "../domain/location_record.ts";
import type { LocationPublisher } from "../domain/location_publisher.ts";
import type { RegionMap } from "../domain/region_map.ts";
import type { TrackingMetrics } from "../domain/tracking_metrics.ts";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";

/** Messages a DriverActor accepts. */
export type DriverMessage =
  | { type: "frame"; text: string; socket: DriverSocket }
  | { type: "latest"; replyTo: (record: LocationRecord | undefined) => void }
  /**
   * The `ts` of the newest fix Kafka has with every accepted fix before it (0 when none): what a
   * cumulative ack would say now. An HTTP client that re-sent a stored fix learns it is safe.
   */
  | { type: "stored"; replyTo: (ts: number) => void }
  /** A publish this actor started has settled (control queue, see `ActorContext.signal`). */
  | { type: "published" }
  | { type: "ack_tick" };

/** The key of the driver kind: one actor per driver id. */
export const DRIVER = actorKey<DriverMessage>("driver");

/** What a DriverActor needs from outside. */
export interface DriverActorDeps {
  readonly publisher: LocationPublisher;
  readonly regions: RegionMap;
  /** The driver's newest stored fix, so seq and the stale check survive a restart. */
  readonly lastStored: (driverId: string) => Promise<LocationRecord | undefined>;
  readonly metrics?: TrackingMetrics;
  readonly rules?: FixRules;
  /** Least time between two acks to one driver (default 200 ms); a due ack goes out at once. */
  readonly ackIntervalMs?: number;
  /** Passivate after this long without frames (default 5 min). */
  readonly idleMs?: number;
  /** Hands a driver's order event to the order; resolves with the outcome. */
  readonly orderEvent?: (
    orderId: string,
    command: { type: "picked_up" | "delivered"; driverId: string },
  ) => Promise<OrderEventOutcome>;
}

/** What became of a driver's order event. */
export type OrderEventOutcome =
  | { ok: true; status: string }
  | { ok: false; code: ErrorCode; message: string };

interface InFlight {
  readonly record: LocationRecord;
  state: "pending" | "stored" | "failed";
}

/**
 * One actor per driver: validates and filters its fixes, numbers them, places them in a region,
 * publishes them to Kafka, and acks them to the driver once Kafka has them.
 */
export class DriverActor implements Actor<DriverMessage> {
  #ctx: ActorContext<DriverMessage>;
  #deps: DriverActorDeps;
  #rules: FixRules;
  #socket: DriverSocket | undefined;
  /** The newest accepted fix: what the filter judges against and what `latest` answers. */
  #lastRecord: LocationRecord | undefined;
  /** The newest fix Kafka has, with every accepted fix before it: what acks report. */
  #stored: LocationRecord | undefined;
  #seq = 0;
  #speedRejects = 0;
  #inFlight: InFlight[] = [];
  #ackSentTs = 0;
  #ackSentAt = -Infinity;
  #broken: DriverSocket | undefined;
  #ackTimer = false;

  constructor(ctx: ActorContext<DriverMessage>, deps: DriverActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#rules = deps.rules ?? DEFAULT_FIX_RULES;
  }

  async onStart(): Promise<void> {
    const stored = await this.#deps.lastStored(this.#ctx.id);
    if (stored) this.#restore(stored);
  }

  receive(message: DriverMessage): void {
    switch (message.type) {
      case "frame":
        return this.#onFrame(message.text, message.socket);
      case "latest":
        return message.replyTo(this.#lastRecord);
      case "stored":
        return message.replyTo(this.#stored?.ts ?? 0);
      case "published":
        return this.#settle();
      case "ack_tick":
        this.#ackTimer = false;
        return this.#settle();
    }
  }

  onStop(): void {
    this.#settle(true);
  }

  #restore(record: LocationRecord): void {
    this.#stored = record;
    this.#lastRecord = record;
    this.#seq = record.seq;
  }

  #onFrame(text: string, socket: DriverSocket): void {
    this.#socket = socket;
    if (this.#broken === socket) {
      return this.#reject(socket, "unavailable", "reconnect and resend after the last ack");
    }
    const frame = parseDriverFrame(text);
    if ("code" in frame) return this.#reject(socket, frame.code, frame.message);
    if (frame.type === "order") return this.#onOrderEvent(frame, socket);
    if (frame.type === "location") return this.#accept(frame, socket);
    if (frame.points.length > MAX_BATCH_POINTS) {
      return this.#reject(socket, "batch_too_large", `at most ${MAX_BATCH_POINTS} points`);
    }
    const points = [...frame.points].sort((a, b) => a.ts - b.ts);
    for (const point of points) this.#accept(point, socket);
  }

  #accept(received: Fix, socket: DriverSocket): void {
    const fix = storableFix(received);
    const now = this.#ctx.clock.now();
    const verdict = judgeFix(
      fix,
      { last: this.#lastRecord, now, speedRejects: this.#speedRejects },
      this.#rules,
    );
    if (!verdict.ok) {
      if (verdict.code === "impossible_speed") this.#speedRejects++;
      return this.#reject(socket, verdict.code, verdict.message, fix.ts);
    }
    this.#speedRejects = 0;
    const region = this.#deps.regions.locate(fix.lat, fix.lon);
    const record = fixRecord(fix, this.#ctx.id, this.#nextSeq(now), region.name, now);
    this.#lastRecord = record;
    this.#deps.metrics?.fixesAccepted.inc({ region: region.name });
    const entry: InFlight = { record, state: "pending" };
    this.#inFlight.push(entry);
    this.#deps.publisher.publish(record, region.partition).then(
      () => this.#published(entry, "stored"),
      () => this.#published(entry, "failed"),
    );
  }

  /** A publish settled: the actor hears of it in its control queue (see `ActorContext.signal`). */
  #published(entry: InFlight, state: InFlight["state"]): void {
    entry.state = state;
    this.#ctx.signal(_PUBLISHED);
  }

  /**
   * A hybrid logical clock: one more than the last, but never behind the server's clock in ms. So
   * seq keeps increasing when the driver reconnects to a restarted or another instance, even if
   * that instance restored an older seq from PostgreSQL (fixes still in Kafka are not there yet).
   */
  #nextSeq(now: number): number {
    this.#seq = Math.max(this.#seq + 1, now);
    return this.#seq;
  }

  #onOrderEvent(frame: Extract<DriverFrame, { type: "order" }>, socket: DriverSocket): void {
    const handle = this.#deps.orderEvent;
    if (!handle) return this.#reject(socket, "not_supported", "order events are not handled here");
    const { orderId, event } = frame;
    handle(orderId, { type: event, driverId: this.#ctx.id }).then(
      (outcome) => {
        if (outcome.ok) socket.send({ type: "order", orderId, status: outcome.status });
        else this.#reject(socket, outcome.code, outcome.message);
      },
      () => this.#reject(socket, "unavailable", `order ${orderId}: try again`),
    );
  }

  /**
   * Observes settled publishes in order: acks the stored prefix (at once, or when
   * `ackIntervalMs` has passed since the last ack, or now when `final`), handles the first failure.
   */
  #settle(final = false): void {
    while (this.#inFlight.length > 0 && this.#inFlight[0]!.state === "stored") {
      this.#stored = this.#inFlight.shift()!.record;
    }
    const acked = this.#stored?.ts ?? 0;
    if (acked > this.#ackSentTs && this.#socket && this.#socket !== this.#broken) {
      const now = this.#ctx.clock.now();
      const wait = this.#ackSentAt + (this.#deps.ackIntervalMs ?? SHARED_DEFAULTS.ackIntervalMs) -
        now;
      if (wait <= 0 || final) {
        this.#ackSentTs = acked;
        this.#ackSentAt = now;
        this.#socket.send({ type: "ack", ts: acked });
      } else if (!this.#ackTimer) {
        this.#ackTimer = true;
        this.#ctx.timers.once("ack", wait, { type: "ack_tick" });
      }
    }
    if (this.#inFlight[0]?.state === "failed") this.#onPublishFailed();
  }

  /** Kafka refused a fix: forget everything after the last stored one and make the driver resend. */
  #onPublishFailed(): void {
    this.#inFlight = [];
    this.#lastRecord = this.#stored;
    this.#speedRejects = 0;
    const socket = this.#socket;
    if (!socket) return;
    this.#broken = socket;
    this.#deps.metrics?.fixesRejected.inc({ reason: "unavailable" });
    socket.close(CLOSE_CODES.unavailable, "kafka unavailable; resend after the last ack");
  }

  #reject(socket: DriverSocket, code: ErrorCode, message: string, ts?: number): void {
    this.#deps.metrics?.fixesRejected.inc({ reason: code });
    socket.send(
      ts === undefined ? { type: "error", code, message } : { type: "error", code, message, ts },
    );
  }
}

/** The one `published` message: the same object every time, since it carries nothing. */
const _PUBLISHED: DriverMessage = { type: "published" };

/** Registers DriverActor: a bounded mailbox that rejects floods, passivation when idle. */
export function driverActorKind(deps: DriverActorDeps): ActorKind<DriverMessage> {
  return {
    create: (_id, ctx) => new DriverActor(ctx, deps),
    mailbox: { capacity: 256, overflow: "reject" },
    idleMs: deps.idleMs ?? SHARED_DEFAULTS.driverIdleMs,
  };
}
