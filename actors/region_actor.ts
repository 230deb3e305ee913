import type { Actor, ActorContext, ActorKind } from "./runtime/mod.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { OrderMessage } from "./order_actor.ts";
import type { WatchIndex } from "./watch_index.ts";

/** Messages a RegionActor accepts. */
export type RegionMessage =
  /** Live records of this actor's partition, as this instance reads them. */
  | { type: "records"; records: readonly LocationRecord[] }
  /** The newest position of a driver seen in this partition, if any. */
  | { type: "latest"; driverId: string; replyTo: (record: LocationRecord | undefined) => void };

/**
 * One actor per partition of driver-locations that this instance reads live. It gets the fixes of
 * the drivers this instance's viewers follow (the tailer skips the rest undecoded), keeps each
 * one's newest position (by fix time, so a late record never replaces a newer one) and hands each
 * fix to the orders watching that driver.
 */
export class RegionActor implements Actor<RegionMessage> {
  #ctx: ActorContext<RegionMessage>;
  #watch: WatchIndex | undefined;
  #latest = new Map<string, LocationRecord>();

  constructor(ctx: ActorContext<RegionMessage>, watch?: WatchIndex) {
    this.#ctx = ctx;
    this.#watch = watch;
  }

  receive(message: RegionMessage): void {
    switch (message.type) {
      case "records":
        for (const record of message.records) {
          const known = this.#latest.get(record.driverId);
          if (known && !_newer(record, known)) continue;
          this.#latest.set(record.driverId, record);
          for (const orderId of this.#watch?.ordersOf(record.driverId) ?? []) {
            this.#ctx.system.ref<OrderMessage>("order", orderId).tell({ type: "location", record });
          }
        }
        return;
      case "latest":
        return message.replyTo(this.#latest.get(message.driverId));
    }
  }
}

function _newer(record: LocationRecord, known: LocationRecord): boolean {
  return record.ts > known.ts;
}

/** Registers RegionActor: a live view, so under overload the oldest batches give way. */
export function regionActorKind(watch?: WatchIndex): ActorKind<RegionMessage> {
  return {
    create: (_id, ctx) => new RegionActor(ctx, watch),
    mailbox: { capacity: 1000, overflow: "drop-oldest" },
  };
}
