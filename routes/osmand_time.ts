import { z } from "zod";

/** Below this a numeric timestamp is Unix seconds, from it on milliseconds (Traccar's rule). */
export const SECONDS_BELOW = 2 ** 31;

const _NUMBER = /^\d+(\.\d+)?$/;
// ISO 8601 date and time, with an optional offset (UTC without one).
const _ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const _ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;
// `yyyy-MM-dd HH:mm:ss`, read as UTC.
const _PLAIN = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(\.\d+)?)$/;

/**
 * A phone app's `timestamp` as epoch ms: a number is Unix seconds below 2^31 and milliseconds
 * from it on (fractions of a second kept to the ms); text is ISO 8601 (UTC when it has no
 * offset) or `yyyy-MM-dd HH:mm:ss` (UTC). Anything else is `undefined`.
 *
 * @example
 * ```ts
 * phoneTimestamp("1732400000"); // 1732400000000
 * phoneTimestamp(1732400000123); // 1732400000123
 * phoneTimestamp("2024-11-23T22:13:20.123Z"); // 1732400000123
 * ```
 */
export function phoneTimestamp(value: unknown): number | undefined {
  if (typeof value === "number") return _fromNumber(value);
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (_NUMBER.test(text)) return _fromNumber(Number(text));
  let iso: string | undefined;
  if (_ISO.test(text)) iso = _ZONED.test(text) ? text : `${text}Z`;
  const plain = _PLAIN.exec(text);
  if (plain) iso = `${plain[1]}T${plain[2]}Z`;
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

function _fromNumber(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n < SECONDS_BELOW ? n * 1000 : n);
}

/** {@linkcode phoneTimestamp} as a zod schema. */
export const phoneTimestampSchema: z.ZodType<number> = z.unknown().transform((value, ctx) => {
  const ms = phoneTimestamp(value);
  if (ms !== undefined) return ms;
  if (value === undefined) {
    ctx.issues.push({ code: "invalid_type", expected: "number", input: value });
    return z.NEVER;
  }
  ctx.issues.push({
    code: "custom",
    input: value,
    message: "must be Unix seconds or milliseconds, ISO 8601, or yyyy-MM-dd HH:mm:ss",
  });
  return z.NEVER;
}).meta({ description: "Unix seconds or ms (from 2^31 on), ISO 8601, or yyyy-MM-dd HH:mm:ss." });
