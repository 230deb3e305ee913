/**
 * Where a long-lived part of the service (a Kafka client, a sink) says whether it can do its job.
 * Readiness (`GET /readyz`) and the `tracking_component_*` metrics are built from it.
 */
export interface HealthReporter {
  /** The component works (again). */
  up(component: string): void;
  /** The component cannot do its job; `error` is logged, never shown to clients. */
  down(component: string, error: unknown): void;
  /** The component was rebuilt after a failure. */
  restarted(component: string): void;
}
