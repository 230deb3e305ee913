import type { LoggingOptions } from "../lib/log_setup.ts";
import { presentSettings, type SettingName, SETTINGS, type Settings } from "./config.ts";

/** The settings logging is set up from, before the rest of the configuration is checked. */
const _LOGGING = ["LOG_LEVEL", "LOG_FORMAT", "TRACKING_DEV", "NO_COLOR"] as const;

/**
 * Reads `LOG_LEVEL`, `LOG_FORMAT`, `TRACKING_DEV` and `NO_COLOR` through their settings,
 * leniently: a wrong value falls back to the default (`loadConfig` then reports it). Run before
 * the rest of the configuration is checked, so that its problems are logged in the chosen
 * format. The format defaults to `pretty` in dev mode (`TRACKING_DEV`), else `json`; colours
 * only in `pretty`, on a terminal, without `NO_COLOR`.
 */
export function loggingSettings(
  env: Record<string, string | undefined>,
  isTerminal: () => boolean = () => Deno.stderr.isTerminal(),
): LoggingOptions {
  const present = presentSettings(env);
  const read = <K extends typeof _LOGGING[number]>(name: K) => _lenient(present, name);
  const format = read("LOG_FORMAT") ?? (read("TRACKING_DEV") ? "pretty" : "json");
  const colors = format === "pretty" && !read("NO_COLOR") && isTerminal();
  return { level: read("LOG_LEVEL"), format, colors };
}

/** The setting `name` from `present`, or its default when the value is wrong. */
function _lenient<K extends SettingName>(present: Record<string, string>, name: K): Settings[K] {
  const schema = SETTINGS[name].schema;
  const parsed = schema.safeParse(present[name]);
  return (parsed.success ? parsed.data : schema.parse(undefined)) as Settings[K];
}
