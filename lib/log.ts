import { getLogger, type Logger } from "@logtape/logtape";

/** The root category of every logger of the service: a line's `logger` starts with it. */
export const LOG_ROOT = "tracking";

/**
 * The logger of one part of the service, e.g. `logger("kafka")` logs as `tracking.kafka`.
 * Messages are short and constant; details go in the properties (`{ partition, error }`), an
 * `Error` under `error`. Until `configureLogging` runs (in `main.ts`), nothing is written: tests
 * and library use stay quiet.
 *
 * @example
 * ```ts
 * logger("history").warn("flush failed", { partition: 3, error: new Error("timeout") });
 * ```
 */
export function logger(...category: string[]): Logger {
  return getLogger([LOG_ROOT, ...category]);
}

export type { Logger };
