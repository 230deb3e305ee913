import { logger } from "./log.ts";

const _log = logger("service");

/** Runs one named step; see {@linkcode stepsWithin}. */
export type Step = (name: string, run: () => Promise<unknown>, floorMs?: number) => Promise<void>;

/**
 * Steps under one deadline, `ms` from now (a shutdown): a step that is not done when the deadline
 * passes is logged and left behind, and the next one starts; a step may be given a floor of its
 * own so that closing connections is always tried. A step that fails is logged too: the next
 * one runs whatever happened.
 */
export function stepsWithin(ms: number): Step {
  const deadline = Date.now() + ms;
  return async (name, run, floorMs = 0) => {
    const left = Math.max(deadline - Date.now(), floorMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), left));
    const started = performance.now();
    try {
      const outcome = await Promise.race([run().then(() => "done" as const), late]);
      const durationMs = Math.round(performance.now() - started);
      if (outcome === "late") {
        _log.warn("shutdown step late, moving on", { step: name, durationMs });
      } else _log.info("shutdown step done", { step: name, durationMs });
    } catch (error) {
      _log.error("shutdown step failed", { step: name, error });
    } finally {
      clearTimeout(timer);
    }
  };
}
