import { Admin } from "@platformatic/kafka";
import { clientOptions, type KafkaConnection } from "./kafka_connection.ts";

/** Answers whether the Kafka cluster is reachable, for `GET /readyz`. */
export class KafkaProbe {
  #admin: Admin;

  constructor(kafka: KafkaConnection) {
    this.#admin = new Admin({
      ...clientOptions(kafka, "tracking-probe"),
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
