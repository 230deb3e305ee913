import { Admin } from "@platformatic/kafka";

/** Answers whether the Kafka cluster is reachable, for `GET /readyz`. */
export class KafkaProbe {
  #admin: Admin;

  constructor(brokers: readonly string[]) {
    this.#admin = new Admin({
      clientId: "tracking-probe",
      bootstrapBrokers: [...brokers],
      retries: 0,
      timeout: 2_000,
    });
  }

  /** Resolves when a broker answers a metadata request. */
  async ping(): Promise<void> {
    await this.#admin.metadata({ topics: [], forceUpdate: true });
  }

  /** Closes the admin connection. */
  async close(): Promise<void> {
    await this.#admin.close();
  }
}
