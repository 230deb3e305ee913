import { Admin } from "@platformatic/kafka";

/** Options of {@linkcode ensureTopic}. */
export interface EnsureTopicOptions {
  /** Bootstrap brokers, default `KAFKA_BROKERS` or `127.0.0.1:9092`. */
  brokers?: string[];
  partitions?: number;
}

/** The broker list from `KAFKA_BROKERS` (comma-separated), defaulting to the local broker. */
export function defaultBrokers(): string[] {
  return (Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092").split(",").map((s) => s.trim());
}

/**
 * Creates a benchmark topic through the admin client unless it exists; returns its partition
 * count (an existing topic keeps the partitions it has).
 */
export async function ensureTopic(
  topic: string,
  options: EnsureTopicOptions = {},
): Promise<number> {
  const admin = new Admin({
    clientId: "bench-admin",
    bootstrapBrokers: options.brokers ?? defaultBrokers(),
  });
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({
        topics: [topic],
        partitions: options.partitions ?? 3,
        replicas: 1,
      });
    }
    const meta = await admin.metadata({ topics: [topic] });
    return meta.topics.get(topic)?.partitionsCount ?? 0;
  } finally {
    await admin.close();
  }
}
