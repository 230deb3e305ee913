import { z } from "zod";
import { DEFAULT_FIX_RULES } from "../domain/fix_filter.ts";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";
import { THRESHOLD_DEFAULTS } from "../domain/threshold_tracker.ts";
import { ZONE_RULE_DEFAULTS } from "../domain/zone_presence.ts";
import { int, list, setting, text } from "./config_setting.ts";

/** Fixes, history, notifications, zones, the fleet map and the pages. */
export const TRACKING_SETTINGS = {
  FUTURE_MARGIN_MS: int(DEFAULT_FIX_RULES.futureMarginMs, {
    unit: "ms",
    doc: "clock skew allowed on a fix's `ts`",
  }),
  MAX_SPEED_MPS: int(DEFAULT_FIX_RULES.maxSpeedMps, {
    unit: "m/s",
    doc: "fastest plausible movement between fixes",
  }),
  ACK_INTERVAL_MS: int(SHARED_DEFAULTS.ackIntervalMs, {
    unit: "ms",
    doc: "least time between two acks to one driver (an ack that is due goes out when Kafka " +
      "answers, without waiting)",
  }),
  STALE_AFTER_MS: int(SHARED_DEFAULTS.staleAfterMs, {
    unit: "ms",
    doc: "a driver position with no newer fix this long is stale: its age shown, no ETA counted",
  }),
  DRIVER_IDLE_MS: int(SHARED_DEFAULTS.driverIdleMs, {
    unit: "ms",
    doc: "passivate a driver actor after this long without frames",
  }),
  HISTORY_FLUSH_ROWS: int(SHARED_DEFAULTS.historyFlushRows, {
    unit: "rows",
    doc: "the history writer flushes at this many buffered rows",
  }),
  HISTORY_FLUSH_MS: int(SHARED_DEFAULTS.historyFlushMs, {
    unit: "ms",
    doc: "the history writer flushes this long after the first buffered row",
  }),
  HISTORY_RETENTION_DAYS: int(SHARED_DEFAULTS.historyRetentionDays, {
    unit: "days",
    doc: "location history kept: older day partitions of `driver_locations` are dropped, the " +
      "history routes read no older fix, and the driver socket refuses an older fix (`too_old`)",
  }),
  ORDER_RETENTION_DAYS: int(90, {
    unit: "days",
    doc: "how long a delivered or cancelled order and its notifications are kept",
  }),
  DEAD_LETTER_RETENTION_DAYS: int(14, {
    unit: "days",
    doc: "how long a dead letter (a record the history writer could not store) is kept in " +
      "`dead_letters`; the hourly retention round deletes older ones",
  }),
  NEAR_THRESHOLDS_M: setting(
    list("500,100").pipe(
      z.array(z.string().regex(/^\d+$/, "whole metres").transform(Number)).min(1),
    ),
    {
      type: "list",
      unit: "m",
      shown: "`500,100`",
      doc: "distances from the drop-off for " + "`driver_near`",
    },
  ),
  ARRIVING_M: int(150, {
    unit: "m",
    oldNames: ["ARRIVING_METERS"],
    doc: "distance from the pickup for `driver_arriving`",
  }),
  NOTIFY_HYSTERESIS_M: int(THRESHOLD_DEFAULTS.hysteresisMeters, {
    unit: "m",
    doc: "a driver inside a threshold has left it only beyond threshold + this",
  }),
  ZONE_ENTER_MARGIN_M: int(ZONE_RULE_DEFAULTS.enterMarginM, {
    unit: "m",
    doc: "a driver enters a zone once inside its edge by at least this much (docs/zones.md)",
  }),
  ZONE_EXIT_MARGIN_M: int(ZONE_RULE_DEFAULTS.exitMarginM, {
    unit: "m",
    doc: "a driver inside exits once outside the edge by at least this much",
  }),
  ZONES_REFRESH_MS: int(5_000, {
    unit: "ms",
    doc: "each instance re-reads the zones when they changed (made or deleted on another " +
      "instance) this often",
  }),
  FLEET_UPDATE_MS: int(1000, {
    unit: "ms",
    doc: "the fleet feed (`GET /ws/fleet`) sends each driver at most once per this long",
  }),
  FLEET_MAX_POINTS: int(500, {
    unit: "drivers",
    doc: "above this many drivers in a viewport the fleet feed sends clusters instead",
  }),
  FLEET_GONE_MS: int(60_000, {
    unit: "ms",
    doc: "a driver without a fix for this long is gone from the fleet map",
  }),
  NEARBY_MAX_AGE_MS: int(60_000, {
    unit: "ms",
    doc: "`GET /drivers/nearby` leaves out drivers whose newest fix is older than this",
  }),
  MAP_TILES_URL: text("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    doc: "base-map tile URL template of the pages (`{z}/{x}/{y}`); `none` draws no tiles",
  }),
  MAP_TILES_ATTRIBUTION: setting(
    z.string().default(
      '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    {
      type: "HTML",
      shown: "the OpenStreetMap attribution",
      doc: "the attribution shown with the tiles",
    },
  ),
};
