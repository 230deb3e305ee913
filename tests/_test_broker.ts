import { KafkaCluster } from "./_kafka_cluster.ts";

/** Options of {@linkcode TestBroker.start}. */
export interface TestBrokerOptions {
  /** Client port. @default a free port, probed */
  readonly port?: number;
}

/**
 * A single-node Kafka broker of a test's own, in a temporary directory, for tests that stop or
 * kill "the broker" (the shared one on 9092 must stay up for everyone else). It is a one-node
 * {@linkcode KafkaCluster}: replication factor 1.
 *
 * ```ts
 * const broker = await TestBroker.start();
 * try {
 *   // start the service with KAFKA_BROKERS = broker.brokers, then:
 *   await broker.kill();
 *   await broker.restart();
 * } finally {
 *   await broker.close();
 * }
 * ```
 */
export class TestBroker {
  #cluster: KafkaCluster;

  private constructor(cluster: KafkaCluster) {
    this.#cluster = cluster;
  }

  /** Formats and starts the broker; resolves once it answers metadata requests. */
  static async start(options: TestBrokerOptions = {}): Promise<TestBroker> {
    const cluster = await KafkaCluster.start(
      options.port === undefined ? { nodes: 1 } : { nodes: 1, basePort: options.port },
    );
    return new TestBroker(cluster);
  }

  /** Its bootstrap address, `127.0.0.1:PORT`. */
  get brokers(): string {
    return this.#cluster.brokers;
  }

  /** SIGTERM (controlled shutdown); resolves once the process has exited. */
  async stop(): Promise<void> {
    await this.#cluster.stopNode(1);
  }

  /** SIGKILL (a crash); resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.#cluster.killNode(1);
  }

  /** Stops it if it runs, then starts it again on the same data and port. */
  async restart(): Promise<void> {
    await this.#cluster.stopNode(1);
    await this.#cluster.startNode(1);
  }

  /** Kills it and removes its data. */
  async close(): Promise<void> {
    await this.#cluster.close();
  }
}
