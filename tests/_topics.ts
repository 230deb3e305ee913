import { Admin } from "@platformatic/kafka";

/**
 * Deletes the named topics through the admin client. Names that do not exist are skipped, so a
 * test can call it in `finally` whether or not it got as far as creating them. Throws when a
 * topic that exists could not be deleted.
 *
 * @param brokers Comma-separated bootstrap list, e.g. `127.0.0.1:9092`.
 * @param names Topic names.
 */
export async function deleteTopics(brokers: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = new Admin({
    clientId: "test-topic-cleanup",
    bootstrapBrokers: brokers.split(",").map((b) => b.trim()).filter((b) => b !== ""),
    retries: 2,
    retryDelay: 200,
  });
  try {
    const present = await _present(admin, names);
    if (present.length === 0) return;
    try {
      await admin.deleteTopics({ topics: present });
    } catch (error) {
      // Someone else may have deleted one in between: only what is still there is a failure.
      const left = await _present(admin, present);
      if (left.length > 0) {
        throw new Error(`could not delete topics ${left.join(", ")}`, { cause: error });
      }
    }
  } finally {
    await admin.close();
  }
}

async function _present(admin: Admin, names: readonly string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  return names.filter((n) => existing.has(n));
}
