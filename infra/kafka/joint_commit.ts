import type { ConsumedLocation } from "../../domain/consumed_location.ts";

/**
 * One batch read once and handed to several parties (the notifier and the zone judge read
 * driver-locations through one consumer): each party gets its own view of the records, whose
 * `commit()` only says that party is done up to that record. The offset is committed once every
 * party is done with it, so a party that fails (and never commits) gets the records again when the
 * consumer is rebuilt, whatever the others did.
 *
 * A party's `commit()` resolves at once unless it is the one that completes the set: that one
 * awaits the real commit (and sees its failure), so no party waits on another.
 */
export function jointCommit(
  records: readonly ConsumedLocation[],
  parties: number,
): ConsumedLocation[][] {
  const joint = new _Joint(parties);
  return Array.from(
    { length: parties },
    (_, party) => records.map((r) => new _View(r, party, joint)),
  );
}

/** The parties' progress through one batch. */
class _Joint {
  #done: (ConsumedLocation | undefined)[];
  #committed = -1n;

  constructor(parties: number) {
    this.#done = Array.from({ length: parties }, () => undefined);
  }

  /** `party` is done up to `record`: commits what every party is done with, once. */
  commitUpTo(party: number, record: ConsumedLocation): Promise<void> {
    const before = this.#done[party];
    if (!before || before.offset < record.offset) this.#done[party] = record;
    let lowest: ConsumedLocation | undefined;
    for (const d of this.#done) {
      if (!d) return Promise.resolve();
      if (!lowest || d.offset < lowest.offset) lowest = d;
    }
    if (!lowest || lowest.offset <= this.#committed) return Promise.resolve();
    this.#committed = lowest.offset;
    return lowest.commit();
  }
}

/** One party's view of a record: its fields, and a `commit` for that party alone (no closure each). */
class _View implements ConsumedLocation {
  readonly record: ConsumedLocation["record"];
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  #of: ConsumedLocation;
  #party: number;
  #joint: _Joint;

  constructor(of: ConsumedLocation, party: number, joint: _Joint) {
    this.record = of.record;
    this.topic = of.topic;
    this.partition = of.partition;
    this.offset = of.offset;
    this.#of = of;
    this.#party = party;
    this.#joint = joint;
  }

  commit(): Promise<void> {
    return this.#joint.commitUpTo(this.#party, this.#of);
  }
}
