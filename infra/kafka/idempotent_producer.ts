import { Producer, stringSerializers } from "@platformatic/kafka";

/**
 * The service's producer settings, in one place: idempotent (no duplicates from retries, order
 * kept per partition), string keys and values, and retries that ride out a broker restart.
 */
export function idempotentProducer(
  brokers: readonly string[],
  clientId: string,
): Producer<string, string, string, string> {
  return new Producer({
    clientId,
    bootstrapBrokers: [...brokers],
    serializers: stringSerializers,
    idempotent: true,
    retries: 10,
    retryDelay: 250,
  });
}
