import { ActorSystem } from "../actors/runtime/mod.ts";
import type { Supervise } from "../actors/stream_actor.ts";
import type { Config } from "../infra/config.ts";
import { ComponentHealth } from "../infra/component_health.ts";
import { type ConnectionCaps, connectionCaps } from "../infra/connection_caps.ts";
import { openFilesLimit } from "../infra/open_files_limit.ts";
import { Metrics } from "../infra/metrics.ts";
import { SocketRegistry } from "../routes/socket_registry.ts";
import { logger } from "../lib/log.ts";
import { streamSupervisor } from "./stream_supervisor.ts";

/** What every pipeline shares: metrics, readiness, the actor system and its stream supervision. */
export interface Core {
  readonly metrics: Metrics;
  readonly health: ComponentHealth;
  readonly system: ActorSystem;
  /** Runs a long-lived Kafka client under supervision (a `stream` actor named `name`). */
  readonly supervise: Supervise;
  /** Aborted as shutdown begins: retries give up, and failed streams are not opened again. */
  readonly stopping: AbortSignal;
  /** Socket limits and per-principal rate limiters, shared by the driver and viewer routes. */
  readonly sockets: SocketRegistry;
  /** Connection and socket caps, below the open-files limit read at start-up. */
  readonly caps: ConnectionCaps;
  /** Begins shutdown: aborts `stopping`. */
  stop(): void;
}

/** Starts the actor system (its gauges in the metrics) and the stream supervisor. */
export function startCore(config: Config): Core {
  const metrics = new Metrics({ instance: config.INSTANCE_ID });
  const health = new ComponentHealth({ metrics });
  const stopping = new AbortController();
  const system = new ActorSystem({
    onError: (kind, id, error) => logger("actors").error("actor failed", { kind, id, error }),
  });
  metrics.onScrape(() => _actorGauges(system, metrics));
  const caps = connectionCaps(config, openFilesLimit());
  logger("http").info("connection caps", { ...caps });
  return {
    metrics,
    health,
    system,
    supervise: streamSupervisor(system, { health, stopping: stopping.signal }),
    stopping: stopping.signal,
    sockets: new SocketRegistry({
      maxSockets: caps.maxSockets,
      maxPerPrincipal: config.MAX_SOCKETS_PER_PRINCIPAL,
      maxPerOps: config.MAX_SOCKETS_PER_OPS,
      rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
    }),
    caps,
    stop: () => stopping.abort(),
  };
}

function _actorGauges(system: ActorSystem, metrics: Metrics): void {
  for (const m of system.metrics()) {
    for (const [metric, value] of Object.entries(m)) {
      if (typeof value === "number") metrics.actors.set({ kind: m.kind, metric }, value);
    }
  }
}
