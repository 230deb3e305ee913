import { configureSync, type LogLevel, resetSync } from "@logtape/logtape";
import { jsonLineFormatter, prettyFormatter } from "./log_format.ts";
import { LOG_ROOT } from "./log.ts";

/** The levels `LOG_LEVEL` accepts, lowest first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A `LOG_LEVEL` value. */
export type LogLevelName = typeof LOG_LEVELS[number];
/** A `LOG_FORMAT` value. */
export type LogFormat = "json" | "pretty";

/** Options for {@linkcode configureLogging}. */
export interface LoggingOptions {
  /** Lowest level written. @default {"info"} */
  readonly level?: LogLevelName;
  /** `json`: one JSON object per line; `pretty`: a line for people. @default {"json"} */
  readonly format?: LogFormat;
  /** ANSI colours in the pretty format. @default {false} */
  readonly colors?: boolean;
  /**
   * Where each formatted line (ending in `\n`) goes. The default writes to stderr at once
   * (synchronously), so a line logged just before `Deno.exit` is not lost.
   */
  readonly write?: (line: string) => void;
}

/**
 * Sends every `logger(...)` line at `level` or above to `write` in `format`. Call once, first
 * thing in `main.ts`; calling again replaces the configuration.
 */
export function configureLogging(options: LoggingOptions = {}): void {
  const level = options.level ?? "info";
  const format = options.format === "pretty"
    ? prettyFormatter({ colors: options.colors ?? false })
    : jsonLineFormatter;
  const write = options.write ?? writeStderr;
  configureSync({
    reset: true,
    sinks: { out: (record) => write(format(record)) },
    loggers: [
      { category: [LOG_ROOT], sinks: ["out"], lowestLevel: _lowest(level) },
      // LogTape's own warnings (e.g. a sink that threw).
      { category: ["logtape", "meta"], sinks: ["out"], lowestLevel: "warning" },
    ],
  });
}

/** Undoes {@linkcode configureLogging}: loggers write nothing again (for tests). */
export function resetLogging(): void {
  resetSync();
}

const _encoder = new TextEncoder();

/** Writes a whole line to stderr synchronously. */
export function writeStderr(line: string): void {
  let bytes = _encoder.encode(line);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
}

function _lowest(level: LogLevelName): LogLevel {
  return level === "warn" ? "warning" : level;
}
