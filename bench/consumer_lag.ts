import { Admin } from "@platformatic/kafka";
import { defaultBrokers } from "./ensure_topic.ts";

/** Lag of one consumer group on one topic, partition by partition. */
export interface ConsumerLag {
  group: string;
  topic: string;
  /** Sum over partitions of (log end offset - committed offset). */
  total: number;
  partitions: { partition: number; end: number; committed: number | null; lag: number }[];
}

/**
 * Measures a consumer group's lag the way `kafka-consumer-groups --describe` does: the admin
 * client's `listConsumerGroupOffsets` (committed) against `listOffsets` (latest). A partition
 * the group never committed counts from its earliest offset.
 */
export async function consumerLag(
  group: string,
  topic: string,
  options: { brokers?: string[] } = {},
): Promise<ConsumerLag> {
  const admin = new Admin({
    clientId: "bench-lag",
    bootstrapBrokers: options.brokers ?? defaultBrokers(),
  });
  try {
    const meta = await admin.metadata({ topics: [topic] });
    const count = meta.topics.get(topic)?.partitionsCount ?? 0;
    const ids = Array.from({ length: count }, (_, i) => i);
    const offsets = (timestamp: bigint) =>
      admin.listOffsets({
        topics: [{ name: topic, partitions: ids.map((p) => ({ partitionIndex: p, timestamp })) }],
      });
    const [latest, earliest, committed] = await Promise.all([
      offsets(-1n),
      offsets(-2n),
      admin.listConsumerGroupOffsets({
        groups: [{ groupId: group, topics: [{ name: topic, partitionIndexes: ids }] }],
      }),
    ]);
    const byPart = (list: typeof latest) =>
      new Map((list[0]?.partitions ?? []).map((p) => [p.partitionIndex, Number(p.offset)]));
    const ends = byPart(latest);
    const starts = byPart(earliest);
    const commits = new Map(
      (committed[0]?.topics.find((t) => t.name === topic)?.partitions ?? []).map((
        p,
      ) => [p.partitionIndex, Number(p.committedOffset)]),
    );
    const partitions = ids.map((partition) => {
      const end = ends.get(partition) ?? 0;
      const c = commits.get(partition);
      const committedOffset = c === undefined || c < 0 ? null : c;
      const lag = Math.max(0, end - (committedOffset ?? starts.get(partition) ?? 0));
      return { partition, end, committed: committedOffset, lag };
    });
    return { group, topic, total: partitions.reduce((s, p) => s + p.lag, 0), partitions };
  } finally {
    await admin.close();
  }
}
