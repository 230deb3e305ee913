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
  const done: (ConsumedLocation | undefined)[] = Array.from({ length: parties }, () => undefined);
  let committed = -1n;
  const commitUpTo = (party: number, record: ConsumedLocation): Promise<void> => {
    const before = done[party];
    if (!before || before.offset < record.offset) done[party] = record;
    let lowest: ConsumedLocation | undefined;
    for (const d of done) {
      if (!d) return Promise.resolve();
      if (!lowest || d.offset < lowest.offset) lowest = d;
    }
    if (!lowest || lowest.offset <= committed) return Promise.resolve();
    committed = lowest.offset;
    return lowest.commit();
  };
  return Array.from(
    { length: parties },
    (_, party) => records.map((r) => ({ ...r, commit: () => commitUpTo(party, r) })),
  );
}
