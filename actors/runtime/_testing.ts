import { ActorSystem } from "./actor_system.ts";
import { VirtualClock } from "./virtual_clock.ts";

/** A failure seen by the test system's `onError`. */
export interface ReportedError {
  kind: string;
  id: string;
  error: unknown;
}

/** An {@linkcode ActorSystem} on a {@linkcode VirtualClock} that records reported failures. */
export function testSystem(): {
  system: ActorSystem;
  clock: VirtualClock;
  errors: ReportedError[];
} {
  const clock = new VirtualClock();
  const errors: ReportedError[] = [];
  const system = new ActorSystem({
    clock,
    onError: (kind, id, error) => errors.push({ kind, id, error }),
  });
  return { system, clock, errors };
}

/** Whether a promise has settled, readable synchronously after a microtask. */
export function track(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  promise.then(() => state.done = true, () => state.done = true);
  return state;
}

/** The metrics of one kind. */
export function metricsOf(system: ActorSystem, kind: string) {
  const found = system.metrics().find((m) => m.kind === kind);
  if (found === undefined) throw new Error(`no metrics for ${kind}`);
  return found;
}
