const _BROKER_SH = new URL("../tools/kafka/broker.sh", import.meta.url).pathname;

/**
 * Starts the local Kafka broker unless one already answers (`tools/kafka/broker.sh start`),
 * with its messages on stderr so the bench's stdout stays pure JSON. Skipped when
 * `KAFKA_BROKERS` points elsewhere than the default local broker.
 */
export async function ensureBroker(): Promise<void> {
  const brokers = Deno.env.get("KAFKA_BROKERS");
  if (brokers && brokers !== "127.0.0.1:9092") return;
  const r = await new Deno.Command("bash", {
    args: [_BROKER_SH, "start"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  await Deno.stderr.write(r.stdout);
  if (!r.success) throw new Error(`broker.sh start failed (${r.code})`);
}
