import { Admin } from "@platformatic/kafka";
import { deadline, isDeadlineError } from "../../lib/deadline.ts";
import { retry } from "../../lib/retry.ts";
import { clientOptions, type KafkaConnection } from "./kafka_connection.ts";

/** A topic the service needs, with its partition count. */
export interface TopicSpec {
  /** Topic name. */
  readonly name: string;
  /** Partitions wanted; an existing topic with fewer is grown to this many. */
  readonly partitions: number;
}

/** Options for {@linkcode ensureTopics}. */
export interface EnsureTopicsOptions {
  /**
   * How long to keep retrying while the broker is not yet reachable, ms.
   * @default {30000}
   */
  readonly timeoutMs?: number;
  /**
   * Replicas of each new topic.
   * @default {min(3, brokers in the cluster)}
   */
  readonly replicationFactor?: number;
}

/**
 * Creates missing topics (and adds partitions to existing ones that have too few) through the
 * admin client, retrying while the broker starts up. New topics get `replicationFactor` replicas
 * and a `min.insync.replicas` to match (2 from 3 replicas up, else 1), so an acked record is on
 * two brokers before the producer hears of it, and one broker may die without stopping writes.
 */
export async function ensureTopics(
  kafka: KafkaConnection,
  topics: readonly TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const until = Date.now() + timeoutMs;
  // No retries inside the client: each attempt fails fast, so the loop below sees (and can name)
  // why, and waits between attempts itself.
  const admin = new Admin({ ...clientOptions(kafka, "tracking-admin"), retries: 0 });
  const stop = new AbortController();
  let last: unknown;
  try {
    // A broker that accepts and never answers (or an address that drops packets) holds an
    // attempt for minutes: the deadline ends the wait at `timeoutMs`, naming the last failure.
    await deadline(
      retry(() => _ensure(admin, topics, options.replicationFactor), {
        minMs: 250,
        maxMs: 2_000,
        isRetryable: () => Date.now() < until,
        onRetry: (error) => last = error,
        signal: stop.signal,
      }),
      timeoutMs,
    );
  } catch (error) {
    if (!isDeadlineError(error)) throw error;
    throw new Error(last === undefined ? "no answer" : "no answer in time", { cause: last });
  } finally {
    stop.abort();
    await deadline(admin.close(), 1_000).catch(() => {});
  }
}

/** The `min.insync.replicas` for a replication factor. */
export function minInsyncReplicas(replicationFactor: number): number {
  return replicationFactor >= 3 ? 2 : 1;
}

async function _ensure(
  admin: Admin,
  topics: readonly TopicSpec[],
  replicationFactor: number | undefined,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length > 0) {
    const brokers = (await admin.metadata({ topics: [] })).brokers.size;
    const replicas = replicationFactor ?? Math.max(1, Math.min(3, brokers));
    const configs = [{ name: "min.insync.replicas", value: String(minInsyncReplicas(replicas)) }];
    for (const topic of missing) {
      try {
        await admin.createTopics({
          topics: [topic.name],
          partitions: topic.partitions,
          replicas,
          configs,
        });
      } catch (error) {
        // Another instance may have created it between listTopics and createTopics.
        if (!/already exists/i.test(String((error as Error).message ?? error))) throw error;
      }
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
