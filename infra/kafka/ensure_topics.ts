import { Admin } from "@platformatic/kafka";

/** A topic the service needs, with its partition count. */
export interface TopicSpec {
  /** Topic name. */
  readonly name: string;
  /** Partitions wanted; an existing topic with fewer is grown to this many. */
  readonly partitions: number;
}

/** Options for {@linkcode ensureTopics}. */
export interface EnsureTopicsOptions {
  /** How long to keep retrying while the broker is not yet reachable. */
  readonly timeoutMs?: number;
}

/**
 * Creates missing topics (and adds partitions to existing ones that have too few) through the
 * admin client, retrying while the broker starts up.
 */
export async function ensureTopics(
  brokers: readonly string[],
  topics: readonly TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const admin = new Admin({ clientId: "tracking-admin", bootstrapBrokers: [...brokers] });
  try {
    for (;;) {
      try {
        await _ensure(admin, topics);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await admin.close();
  }
}

async function _ensure(admin: Admin, topics: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  for (const topic of missing) {
    try {
      // No replication factor: the broker's default.replication.factor decides (1 on the local
      // single broker, 3 on a production cluster or on cluster.sh's), so a leader can fail over.
      await admin.createTopics({ topics: [topic.name], partitions: topic.partitions });
    } catch (error) {
      // Another instance may have created it between listTopics and createTopics.
      if (!/already exists/i.test(String((error as Error).message ?? error))) throw error;
    }
  }
  const present = topics.filter((t) => existing.has(t.name));
  if (present.length === 0) return;
  const metadata = await admin.metadata({ topics: present.map((t) => t.name) });
  for (const topic of present) {
    const have = metadata.topics.get(topic.name)?.partitionsCount ?? 0;
    if (have < topic.partitions) {
      await admin.createPartitions({
        topics: [{ name: topic.name, count: topic.partitions }],
      });
    }
  }
}
