import { Admin } from "@platformatic/kafka";
import { freePorts } from "./_free_ports.ts";

const SCRIPT = new URL("../tools/kafka/cluster.sh", import.meta.url).pathname;

/** Options of {@linkcode KafkaCluster.start}. */
export interface KafkaClusterOptions {
  /** Number of nodes (each broker and controller, ids 1..nodes). */
  readonly nodes: number;
  /** Client port of node 1 (node i: basePort + i - 1). @default free ports, probed */
  readonly basePort?: number;
  /** Where the nodes keep their data; removed by `close()`. @default a new temporary directory */
  readonly dataDir?: string;
}

/** Defaults of {@linkcode KafkaCluster}. */
export const KAFKA_CLUSTER_DEFAULTS = {
  /** Controller ports are the client ports shifted by this much. */
  controllerPortOffset: 100,
  /** How long `waitForLeader` and the start-up metadata check wait. */
  timeoutMs: 60_000,
} as const;

/** Options of {@linkcode KafkaCluster.waitForLeader}. */
export interface WaitForLeaderOptions {
  /** Wait for a leader other than this node id (e.g. the one just killed). */
  readonly not?: number;
  /** @default KAFKA_CLUSTER_DEFAULTS.timeoutMs */
  readonly timeoutMs?: number;
}

/**
 * A local N-node KRaft cluster for fault-injection tests, driven through
 * `tools/kafka/cluster.sh`: kill, stop and restart single nodes, ask who leads a partition.
 *
 * ```ts
 * const cluster = await KafkaCluster.start({ nodes: 3 });
 * try {
 *   const leader = await cluster.leaderOf(topic, 0);
 *   await cluster.killNode(leader);
 *   await cluster.waitForLeader(topic, 0, { not: leader });
 * } finally {
 *   await cluster.close();
 * }
 * ```
 */
export class KafkaCluster {
  /** Comma-separated bootstrap list of every node, e.g. `127.0.0.1:21000,127.0.0.1:21001`. */
  readonly brokers: string;
  /** Number of nodes. */
  readonly nodes: number;
  /** The data directory (removed by `close()`). */
  readonly dataDir: string;
  #env: Record<string, string>;
  #closed = false;

  private constructor(nodes: number, basePort: number, dataDir: string) {
    this.nodes = nodes;
    this.dataDir = dataDir;
    this.brokers = Array.from({ length: nodes }, (_, i) => `127.0.0.1:${basePort + i}`).join(",");
    this.#env = {
      KAFKA_CLUSTER_DATA_DIR: dataDir,
      KAFKA_CLUSTER_HOST: "127.0.0.1",
      KAFKA_CLUSTER_BASE_PORT: String(basePort),
      KAFKA_CLUSTER_CONTROLLER_BASE_PORT: String(
        basePort + KAFKA_CLUSTER_DEFAULTS.controllerPortOffset,
      ),
    };
  }

  /** Formats and starts the nodes; resolves once every node is in the cluster's metadata. */
  static async start(options: KafkaClusterOptions): Promise<KafkaCluster> {
    const { nodes } = options;
    if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`nodes must be >= 1: ${nodes}`);
    const basePort = options.basePort ??
      freePorts(nodes, { alsoAt: [KAFKA_CLUSTER_DEFAULTS.controllerPortOffset] });
    const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "kafka-cluster-" });
    const cluster = new KafkaCluster(nodes, basePort, dataDir);
    try {
      await cluster.#run("start", String(nodes));
      await cluster.#untilBrokers((ids) => ids.length === nodes, `all ${nodes} nodes`);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** `host:port` of node `i` (1-based). */
  brokerOf(i: number): string {
    const broker = this.brokers.split(",")[this.#checkNode(i) - 1];
    if (broker === undefined) throw new RangeError(`no node ${i}`);
    return broker;
  }

  /** SIGKILLs node `i` (a crash: no controlled shutdown) and waits until it is gone. */
  async killNode(i: number): Promise<void> {
    await this.#run("kill-node", String(this.#checkNode(i)));
  }

  /** SIGTERMs node `i` (controlled shutdown) and waits until it has exited. */
  async stopNode(i: number): Promise<void> {
    await this.#run("stop-node", String(this.#checkNode(i)));
  }

  /** Starts node `i` again on its data; resolves once it is back in the cluster's metadata. */
  async startNode(i: number): Promise<void> {
    await this.#run("start-node", String(this.#checkNode(i)));
    await this.#untilBrokers((ids) => ids.includes(i), `node ${i} in the metadata`);
  }

  /** The node id leading `topic`'s `partition`, from fresh metadata (-1 when it has none). */
  async leaderOf(topic: string, partition: number): Promise<number> {
    return await this.#withAdmin(async (admin) => {
      const meta = await admin.metadata({ topics: [topic], forceUpdate: true });
      const found = meta.topics.get(topic)?.partitions[partition];
      if (found === undefined) throw new RangeError(`no partition ${topic}/${partition}`);
      return found.leader;
    });
  }

  /** Polls until `topic`'s `partition` has a leader (other than `options.not`); returns it. */
  async waitForLeader(
    topic: string,
    partition: number,
    options: WaitForLeaderOptions = {},
  ): Promise<number> {
    const deadline = Date.now() + (options.timeoutMs ?? KAFKA_CLUSTER_DEFAULTS.timeoutMs);
    let last: unknown = undefined;
    while (Date.now() < deadline) {
      try {
        const leader = await this.leaderOf(topic, partition);
        if (leader >= 1 && leader !== options.not) return leader;
        last = `leader ${leader}`;
      } catch (error) {
        last = error;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no new leader for ${topic}/${partition}; last seen: ${String(last)}`);
  }

  /** Kills every node and removes the data directory. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#run("kill");
    await Deno.remove(this.dataDir, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }

  #checkNode(i: number): number {
    if (!Number.isInteger(i) || i < 1 || i > this.nodes) {
      throw new RangeError(`node must be 1..${this.nodes}: ${i}`);
    }
    return i;
  }

  async #run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("bash", {
      args: [SCRIPT, ...args],
      env: this.#env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr);
      throw new Error(`cluster.sh ${args.join(" ")} failed (${out.code}): ${err}${text}`);
    }
    return text;
  }

  async #withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = new Admin({
      clientId: "kafka-cluster-helper",
      bootstrapBrokers: this.brokers.split(","),
      retries: 1,
      retryDelay: 100,
    });
    try {
      return await use(admin);
    } finally {
      await admin.close();
    }
  }

  async #untilBrokers(ok: (ids: number[]) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + KAFKA_CLUSTER_DEFAULTS.timeoutMs;
    for (;;) {
      const ids = await this.#withAdmin(async (admin) => {
        const meta = await admin.metadata({ topics: [], forceUpdate: true });
        return [...meta.brokers.keys()];
      }).catch(() => []);
      if (ok(ids)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw [${ids}]`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
