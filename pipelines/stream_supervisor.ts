import type { ActorSystem } from "../actors/runtime/mod.ts";
import {
  type OpenStream,
  STREAM,
  streamActorKind,
  type Supervise,
} from "../actors/stream_actor.ts";
import type { ComponentHealth } from "../infra/component_health.ts";

/**
 * Registers the `stream` actor kind and returns how the wiring runs a long-lived client under
 * it: each client is a component of readiness (down until it first runs), rebuilt with backoff
 * after every failure until `stopping` aborts.
 */
export function streamSupervisor(
  system: ActorSystem,
  options: { health: ComponentHealth; stopping: AbortSignal },
): Supervise {
  const streams = new Map<string, OpenStream>();
  system.register(STREAM, streamActorKind({ streams, ...options }));
  return (name, open) => {
    streams.set(name, open);
    options.health.expect(name);
    const ref = system.ref(STREAM, name);
    ref.tell({ type: "start" });
    return {
      pause: () =>
        ref.ask<void>((replyTo) => ({ type: "pause", replyTo }), { timeoutMs: Infinity }),
      close: () =>
        ref.ask<void>((replyTo) => ({ type: "close", replyTo }), { timeoutMs: Infinity }),
    };
  };
}
