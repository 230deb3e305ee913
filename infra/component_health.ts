import type { HealthReporter } from "../domain/health_reporter.ts";
import type { Metrics } from "./metrics.ts";
import { logger } from "../lib/log.ts";

const _log = logger("health");

/** The state of one component, as readiness shows it (no error text: that goes to the log). */
export type ComponentState = "ok" | "down";

/**
 * The {@linkcode HealthReporter} of one instance: remembers each component's state for
 * `GET /readyz`, mirrors it in `tracking_component_up`, counts rebuilds in
 * `tracking_component_restarts_total`, and logs each change of state once.
 */
export class ComponentHealth implements HealthReporter {
  #states = new Map<string, ComponentState>();
  /** Components that went down through `down` (not merely not yet started): their recovery is logged. */
  #failed = new Set<string>();
  #metrics: Metrics | undefined;
  #log: (line: string, component: string, error?: unknown) => void;

  /**
   * `log` gets one call per change of state; by default `component down` (warn, with the
   * `component` and the `error`) and `component up again` (info) are logged as `tracking.health`.
   */
  constructor(
    options: {
      metrics?: Metrics;
      log?: (line: string, component: string, error?: unknown) => void;
    } = {},
  ) {
    this.#metrics = options.metrics;
    this.#log = options.log ??
      ((line, component, error) =>
        error === undefined
          ? _log.info(line, { component })
          : _log.warn(line, { component, error }));
  }

  /** Names a component that must be up for the instance to be ready; it starts as down. */
  expect(component: string): void {
    if (this.#states.has(component)) return;
    this.#states.set(component, "down");
    this.#metrics?.componentUp.set({ component }, 0);
  }

  up(component: string): void {
    if (this.#failed.delete(component)) this.#log("component up again", component);
    this.#states.set(component, "ok");
    this.#metrics?.componentUp.set({ component }, 1);
  }

  down(component: string, error: unknown): void {
    if (!this.#failed.has(component)) this.#log("component down", component, error);
    this.#failed.add(component);
    this.#states.set(component, "down");
    this.#metrics?.componentUp.set({ component }, 0);
  }

  restarted(component: string): void {
    this.#metrics?.componentRestarts.inc({ component });
  }

  /** Every component known, with its state. */
  snapshot(): Record<string, ComponentState> {
    return Object.fromEntries(this.#states);
  }
}
