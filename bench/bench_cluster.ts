import { DEV_JWT_SECRET } from "../infra/config.ts";
import { BENCH_SERVICE_OPTIONS, ServiceProcess } from "../sim/service_process.ts";

/** Options of {@linkcode BenchCluster}. */
export interface BenchClusterOptions {
  /** instance i listens on `port + i` */
  port: number;
  databaseUrl: string;
  secret: string;
  /** log file of instance i: `${logPrefix}-${i}.log.tmp` */
  logPrefix: string;
  /** instance i opens a V8 inspector on 127.0.0.1:`inspectPort + i` (for CPU profiles) */
  inspectPort?: number;
  /** worker processes per instance, sharing its port (`start.ts --workers N`); default 1 */
  workers?: number;
  /** CPUs the instances are pinned to (`taskset -c`) */
  cpus?: string;
}

/**
 * The service instances the bench runs: one cluster sharing Kafka (consumer groups) and
 * PostgreSQL, each instance its own process with its own open-files limit. {@linkcode resize}
 * restarts the cluster when a level needs another size (the seed scenario needs enough instances
 * to hold 100,000 sockets).
 */
export class BenchCluster {
  #o: BenchClusterOptions;
  #services: ServiceProcess[] = [];

  constructor(options: BenchClusterOptions) {
    this.#o = options;
  }

  /** Base URLs of the running instances, comma-separated (the simulator's `--url`). */
  get url(): string {
    return this.#services.map((s) => s.url).join(",");
  }

  /** pids of the running instances. */
  get pids(): number[] {
    return this.#services.map((s) => s.pid);
  }

  /** Makes `n` instances run: nothing to do when that many already do, else a fresh start. */
  async resize(n: number): Promise<void> {
    if (this.#services.length === n) return;
    await this.stop();
    for (let i = 0; i < n; i++) {
      const logFile = `${this.#o.logPrefix}-${i}.log.tmp`;
      console.error(
        `== starting service instance ${i} on port ${this.#o.port + i} (log ${logFile})`,
      );
      this.#services.push(
        await ServiceProcess.start({
          ...BENCH_SERVICE_OPTIONS,
          port: this.#o.port + i,
          logFile,
          ...(this.#o.inspectPort ? { inspect: `127.0.0.1:${this.#o.inspectPort + i}` } : {}),
          ...(this.#o.workers && { workers: this.#o.workers }),
          ...(this.#o.cpus && { cpus: this.#o.cpus }),
          env: {
            DATABASE_URL: this.#o.databaseUrl,
            JWT_SECRET: this.#o.secret,
            // The service accepts the dev secret only in dev mode.
            ...(this.#o.secret === DEV_JWT_SECRET ? { TRACKING_DEV: "1" } : {}),
            INSTANCE_ID: `bench-${i}`,
            // The simulator creates and assigns every order as one ops principal, far faster
            // than a dispatcher would: lift the REST rate limit (docs/limits.md).
            REST_OPS_RATE_FACTOR: "100000",
            // V8 flags for the service alone (the floor keeps the defaults), for experiments:
            // BENCH_SERVICE_V8_FLAGS=--max-semi-space-size=32 (bench/README.md).
            ..._serviceV8Flags(),
          },
        }),
      );
    }
  }

  /** Stops every instance (SIGTERM, so each drains). */
  async stop(): Promise<void> {
    const services = this.#services.splice(0);
    const codes = await Promise.all(services.map((s) => s.stop()));
    if (codes.length) console.error(`service instances exited with ${codes.join(", ")}`);
  }
}

/** `DENO_V8_FLAGS` for the service processes, from `BENCH_SERVICE_V8_FLAGS` when set. */
function _serviceV8Flags(): Record<string, string> {
  const flags = Deno.env.get("BENCH_SERVICE_V8_FLAGS");
  return flags ? { DENO_V8_FLAGS: flags } : {};
}
