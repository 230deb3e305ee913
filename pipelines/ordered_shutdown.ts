import { type Step, stepsWithin } from "../lib/deadline_steps.ts";

/** One stage of a shutdown: runs its steps (see {@linkcode Step}) and may do more between them. */
export type ShutdownStage = (step: Step) => Promise<void> | void;

/**
 * The service's `close()`: `begin` runs at once (refuse new work), then each stage in order, all
 * under one deadline of `graceMs` (a late step is logged and left behind). Called again, it returns
 * the same promise.
 */
export function orderedShutdown(
  graceMs: number,
  begin: () => void,
  stages: readonly ShutdownStage[],
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    closing ??= (async () => {
      begin();
      const step = stepsWithin(graceMs);
      for (const stage of stages) await stage(step);
    })();
}
