import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import type { LocationRecord } from "../domain/location_record.ts";

/** Messages a RegionActor accepts. */
export type RegionMessage =
  /** Live records of this actor's partition, as this instance reads them. */
  | { type: "records"; records: readonly LocationRecord[] }
  /** The newest position of a driver seen in this partition, if any. */
  | { type: "latest"; driverId: string; replyTo: (record: LocationRecord | undefined) => void };

/** The key of the region kind: one actor per partition of driver-locations read live here. */
export const REGION = actorKey<RegionMessage>("region");

/**
 * One actor per partition of driver-locations that this instance reads live. It gets the fixes of
 * the drivers this instance's viewers follow (the tailer skips the rest undecoded), keeps each
 * one's newest position (by fix time, so a late record never replaces a newer one) and hands each
 * newer fix to `route` (the live router, which knows the orders watching that driver).
 */
export class RegionActor implements Actor<RegionMessage> {
  #route: ((record: LocationRecord) => void) | undefined;
  #latest = new Map<string, LocationRecord>();

  /** The actor of partition `ctx.id`; `route` is given every newer fix. */
  constructor(_ctx: ActorContext<RegionMessage>, route?: (record: LocationRecord) => void) {
    this.#route = route;
  }

  receive(message: RegionMessage): void {
    switch (message.type) {
      case "records":
        for (const record of message.records) {
          const known = this.#latest.get(record.driverId);
          if (known && !_newer(record, known)) continue;
          this.#latest.set(record.driverId, record);
          this.#route?.(record);
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
export function regionActorKind(
  route?: (record: LocationRecord) => void,
): ActorKind<RegionMessage> {
  return {
    create: (_id, ctx) => new RegionActor(ctx, route),
    mailbox: { capacity: 1000, overflow: "drop-oldest" },
  };
}
