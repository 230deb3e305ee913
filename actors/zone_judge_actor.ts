import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import { retryingSinkKind } from "./retrying_sink_kind.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";
import type { HealthReporter } from "../domain/health_reporter.ts";
import type { ZoneEventPublisher } from "../domain/zone_event_publisher.ts";
import type { ZoneEventStore } from "../domain/zone_event_store.ts";
import type { ZoneRules } from "../domain/zone_presence.ts";
import { announceArrival, type ZoneArrivalDeps } from "./zone_arrivals.ts";
import type { ZoneIndex } from "./zone_index.ts";
import { ZoneJudge } from "./zone_judge.ts";

/** Messages a ZoneJudgeActor accepts. */
export type ZoneJudgeMessage = {
  type: "records";
  /** Fixes of this actor's partition, in offset order; the reply comes once they are judged. */
  records: readonly ConsumedLocation[];
  replyTo: (value: void) => void;
};

/** The key of the zone judge kind: one actor per partition of driver-locations. */
export const ZONE_JUDGE = actorKey<ZoneJudgeMessage>("zone-judge");

/** The component name the zone judge reports under. */
export const ZONE_JUDGE_COMPONENT = "zone-judge";

/** What a ZoneJudgeActor needs from outside. */
export interface ZoneJudgeActorDeps {
  readonly store: ZoneEventStore;
  readonly events: ZoneEventPublisher;
  /** The zones now (the wiring re-reads them when any instance changes them). */
  readonly zones: () => ZoneIndex;
  readonly rules: ZoneRules;
  /** Orders and order-events: `driver_at_restaurant` on a dwell in a restaurant's zone. */
  readonly arrivals?: ZoneArrivalDeps;
  /** Told about a failed batch before it is retried. */
  readonly onError?: (error: unknown) => void;
  /** First retry delay of a failed batch, doubling up to 5 s (default 100 ms). */
  readonly retryMs?: number;
  readonly health?: HealthReporter;
  /** Aborted at shutdown: a batch waiting for its retry gives up (it is redelivered later). */
  readonly stopping?: AbortSignal;
}

/**
 * One actor per partition that this instance's share of the shared zone group holds. Per batch:
 * the stored presences of the drivers near a zone or inside one, judged fix by fix
 * ({@linkcode ZoneJudge}); then, in one transaction, the events (unique per zone, driver, kind
 * and visit) and the presences; then every event of the partition not yet published goes to
 * zone-events (a dwell in a restaurant's zone first announces the arrival to its orders), is
 * marked published, and the offsets are committed. What is stored is the truth: a retry, a
 * restart or a rebalance judges from it, and a redelivered fix not newer than a presence's last
 * change changes nothing.
 */
export class ZoneJudgeActor implements Actor<ZoneJudgeMessage> {
  #ctx: ActorContext<ZoneJudgeMessage>;
  #deps: ZoneJudgeActorDeps;
  #judge: ZoneJudge;
  /** Drivers inside a zone: their fixes are judged wherever they are (to see them exit). */
  #inside: Set<string> | undefined;
  /** Whether stored events may wait to be published: at start (a crash before), after a store. */
  #pending = true;

  constructor(ctx: ActorContext<ZoneJudgeMessage>, deps: ZoneJudgeActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#judge = new ZoneJudge(deps.rules);
  }

  async receive(message: ZoneJudgeMessage): Promise<void> {
    const { health } = this.#deps;
    try {
      await this.#judgeBatch(message.records);
      await this.#publishPending();
    } catch (error) {
      this.#deps.onError?.(error);
      health?.down(ZONE_JUDGE_COMPONENT, error);
      throw error;
    }
    health?.up(ZONE_JUDGE_COMPONENT);
    // What was decided is stored and published; a lost commit only means these fixes are judged
    // again, and they are not newer than what is stored.
    await message.records.at(-1)?.commit().catch((error) =>
      this.#deps.onError?.(new Error(`commit lost: ${error?.message}`, { cause: error }))
    );
    message.replyTo();
  }

  async #judgeBatch(records: readonly ConsumedLocation[]): Promise<void> {
    const { store } = this.#deps;
    const inside = this.#inside ??= new Set(await store.driversInside());
    const index = this.#deps.zones();
    // Every fix of a driver inside a zone or near one, so an enter and the exit after it can
    // fall in one batch.
    const near = new Set<string>();
    for (const { record: f } of records) {
      if (inside.has(f.driverId) || index.candidates(f.lat, f.lon).length > 0) near.add(f.driverId);
    }
    if (near.size === 0) return;
    const fixes = records.map((r) => r.record).filter((f) => near.has(f.driverId));
    const drivers = [...near];
    this.#judge.reset();
    this.#judge.load(await store.presenceOf(drivers));
    const events = fixes.flatMap((fix) => this.#judge.judge(fix, index));
    const presences = this.#judge.takeChanges();
    if (events.length > 0 || presences.length > 0) {
      await store.record(
        { partition: this.#partition(), presences, events },
        this.#ctx.clock.now(),
      );
      this.#pending = true;
    }
    for (const driverId of drivers) {
      if (this.#judge.inside(driverId)) inside.add(driverId);
      else inside.delete(driverId);
    }
  }

  /** Publishes this partition's stored, unpublished events, oldest first. */
  async #publishPending(): Promise<void> {
    if (!this.#pending) return;
    const { store, events, arrivals } = this.#deps;
    for (const event of await store.unpublished(this.#partition())) {
      if (arrivals) await announceArrival(arrivals, event, this.#ctx.clock.now());
      await events.publish(event);
      await store.markPublished(event.id);
    }
    this.#pending = false;
  }

  #partition(): number {
    return Number(this.#ctx.id);
  }
}

/** Registers ZoneJudgeActor: a per-partition sink that retries ({@linkcode retryingSinkKind}). */
export function zoneJudgeActorKind(deps: ZoneJudgeActorDeps): ActorKind<ZoneJudgeMessage> {
  return retryingSinkKind((ctx) => new ZoneJudgeActor(ctx, deps), deps);
}
