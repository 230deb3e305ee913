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

/**
 * What a terminal or a log viewer could act on or hide, when a client puts it in a logged string
 * (a path, an id): C0 and C1 controls and DEL (ESC sequences), format characters (bidi overrides,
 * zero-width), the line and paragraph separators, and lone surrogates.
 */
const _UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]|\p{Cs}/gu;

/** `text` with every {@linkcode _UNSAFE} character written as a `\uXXXX` escape. */
function _escaped(text: string): string {
  _UNSAFE.lastIndex = 0;
  if (!_UNSAFE.test(text)) return text;
  return text.replace(_UNSAFE, _unicodeEscape);
}

/** `\uXXXX` for each UTF-16 unit of `c` (a pair for a character past U+FFFF, as JSON has it). */
function _unicodeEscape(c: string): string {
  let out = "";
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

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
 * top level after the four fixed keys; bigints are written as strings. Control and format
 * characters in strings (from clients: paths, ids) are `\uXXXX` escapes, never raw.
 */
export function jsonLineFormatter(record: LogRecord): string {
  // Outside strings a JSON text is ASCII, so escaping the serialized text escapes the strings.
  return _escaped(JSON.stringify(
    {
      time: new Date(record.timestamp).toISOString(),
      level: _LEVELS[record.level] ?? record.level,
      logger: record.category.join("."),
      message: _message(record),
      ...recordFields(record),
    },
    _bigints,
  )) + "\n";
}

/** Options for {@linkcode prettyFormatter}. */
export interface PrettyOptions {
  /** ANSI colours for the level. @default {false} */
  readonly colors?: boolean;
}

/**
 * A line for people (`LOG_FORMAT=pretty`): `15:04:05.123 INFO  kafka  consumer joined group=g`.
 * The `tracking.` prefix of the logger is left out. A string with a space, `"`, `=` or a control
 * or format character is quoted, with those characters escaped (never raw ESC sequences).
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
    const fields = Object.entries(recordFields(record)).map(([k, v]) =>
      `${k}=${typeof v === "string" ? _quoted(v) : _escaped(String(JSON.stringify(v, _bigints)))}`
    );
    const message = _escaped(_message(record).replace(/\n/g, "\\n"));
    return [time, level, category.padEnd(8), message, ...fields].join(" ") + "\n";
  };
}

function _text(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === "string" ? value : JSON.stringify(value, _bigints) ?? String(value);
}

function _quoted(value: string): string {
  _UNSAFE.lastIndex = 0;
  return /^[^\s"=]+$/.test(value) && !_UNSAFE.test(value) ? value : _escaped(JSON.stringify(value));
}

function _oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, "; ").trim();
}

function _bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
