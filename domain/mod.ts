/**
 * Types and pure rules shared by actors, routes and infra: ids and roles, the order and its
 * lifecycle, the location record, fix and threshold rules, error and close codes, and the
 * interfaces actors need from stores and publishers (implemented in `infra/`).
 * @module
 */
export * from "./close_codes.ts";
export * from "./consumed_location.ts";
export * from "./dead_letter.ts";
export * from "./error_codes.ts";
export * from "./fix.ts";
export * from "./fix_filter.ts";
export * from "./geo.ts";
export * from "./health_reporter.ts";
export * from "./history_store.ts";
export * from "./ids.ts";
export * from "./location_publisher.ts";
export * from "./location_record.ts";
export * from "./order.ts";
export * from "./order_event.ts";
export * from "./order_event_publisher.ts";
export * from "./order_lifecycle.ts";
export * from "./order_notification.ts";
export * from "./order_store.ts";
export * from "./region_map.ts";
export * from "./roles.ts";
export * from "./row_rejected_error.ts";
export * from "./threshold_tracker.ts";
export * from "./zod_problem.ts";
export * from "./tracking_metrics.ts";
export * from "./shared_defaults.ts";
export * from "./region_outline.ts";
export * from "./retention.ts";
export * from "./order_share.ts";
