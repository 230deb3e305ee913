import type { LogRecord } from "@logtape/logtape";

/** The `level` a line shows, per LogTape level (`warning` is shown as `warn`). */
const _LEVELS: Record<string, string> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warning: "warn",
  error: "error",
  fatal: "fatal",
};

/** Keys every JSON line starts with; a property of the same name is dropped. */
const _RESERVED = new Set(["time", "level", "logger", "message"]);

/**
 * An error as a log field: its message, and its code, name and cause when it has them; never a
 * stack. An `AggregateError` (what `@platformatic/kafka` throws when every broker failed) adds
 * the messages of the first few errors it holds.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const out: Record<string, unknown> = { message: _oneLine(error.message) || error.name };
  if (error.name !== "Error") out.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) {
    out.errors = inner.slice(0, 3).map((e) => errorFields(e));
  }
  if (error.cause !== undefined) out.cause = errorFields(error.cause);
  return out;
}

/**
 * The innermost cause of an error (the first of an `AggregateError`, then `cause`), as one
 * line: `connect ECONNREFUSED 127.0.0.1:9 (ECONNREFUSED)`. For start-up messages.
 */
export function rootCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 8; depth++) {
    const inner = (current as { errors?: unknown[] })?.errors?.[0] ??
      (current as { cause?: unknown })?.cause;
    if (inner === undefined) break;
    current = inner;
  }
  const fields = errorFields(current);
  const text = String(fields.message);
  return fields.code !== undefined && !text.includes(String(fields.code))
    ? `${text} (${fields.code})`
    : text;
}

/**
 * The fields of a record: its properties, with every `Error` (at the top level) made into
 * {@linkcode errorFields}.
 */
export function recordFields(record: LogRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.properties)) {
    if (_RESERVED.has(key)) continue;
    out[key] = value instanceof Error ? errorFields(value) : value;
  }
  return out;
}

/** The record's message with its `{placeholders}` filled. */
function _message(record: LogRecord): string {
  return record.message.map((part) => typeof part === "string" ? part : _text(part)).join("");
}

/**
 * One JSON object per line: `{"time","level","logger","message",...fields}`. Fields are at the
 * top level after the four fixed keys; bigints are written as strings.
 */
export function jsonLineFormatter(record: LogRecord): string {
  return JSON.stringify(
    {
      time: new Date(record.timestamp).toISOString(),
      level: _LEVELS[record.level] ?? record.level,
      logger: record.category.join("."),
      message: _message(record),
      ...recordFields(record),
    },
    _bigints,
  ) + "\n";
}

/** Options for {@linkcode prettyFormatter}. */
export interface PrettyOptions {
  /** ANSI colours for the level. @default {false} */
  readonly colors?: boolean;
}

/**
 * A line for people (`LOG_FORMAT=pretty`): `15:04:05.123 INFO  kafka  consumer joined group=g`.
 * The `tracking.` prefix of the logger is left out.
 */
export function prettyFormatter(options: PrettyOptions = {}): (record: LogRecord) => string {
  const paint: Record<string, string> = {
    debug: "\x1b[90m",
    info: "\x1b[32m",
    warning: "\x1b[33m",
    error: "\x1b[31m",
    fatal: "\x1b[35m",
  };
  return (record) => {
    const time = new Date(record.timestamp).toISOString().slice(11, 23);
    const name = (_LEVELS[record.level] ?? record.level).toUpperCase().padEnd(5);
    const level = options.colors ? `${paint[record.level] ?? ""}${name}\x1b[0m` : name;
    const category = record.category.slice(1).join(".") || record.category.join(".");
    const fields = Object.entries(recordFields(record))
      .map(([k, v]) => `${k}=${typeof v === "string" ? _quoted(v) : JSON.stringify(v, _bigints)}`);
    return [time, level, category.padEnd(8), _message(record), ...fields].join(" ") + "\n";
  };
}

function _text(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === "string" ? value : JSON.stringify(value, _bigints) ?? String(value);
}

function _quoted(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}

function _oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, "; ").trim();
}

function _bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
