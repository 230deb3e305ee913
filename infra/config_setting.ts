import { z } from "zod";

/**
 * One setting of the service: how its environment variable is parsed (`schema`, with the
 * default applied), and what docs/configuration.md says of it (`tools/config_doc.ts` writes the
 * table from these).
 */
export interface Setting<T extends z.ZodType = z.ZodType> {
  /** Parses the variable's text (or `undefined` when unset) into the value, default applied. */
  readonly schema: T;
  /** What the value is, for people: `integer > 0`, `boolean`, `string`, `list`, ... */
  readonly type: string;
  /** The default as the docs show it, or how it is found (`unset`, `required`, ...). */
  readonly shown: string;
  /** `ms`, `s`, `m`, `bytes`, ...; empty when the value has none. */
  readonly unit: string;
  /** One line: what the setting does. */
  readonly doc: string;
  /** Former names, still read (with a deprecation line at start-up) when the name is unset. */
  readonly oldNames: readonly string[];
  /** An empty value counts as set (`NO_COLOR=`); for every other setting it is as unset. */
  readonly emptyIsSet: boolean;
}

/** What every setting builder takes besides the default. */
export interface SettingInfo {
  /** One line for docs/configuration.md. */
  readonly doc: string;
  readonly unit?: string;
  /** The default as the docs show it, when it is not the fallback value itself. */
  readonly shown?: string;
  readonly oldNames?: readonly string[];
  readonly emptyIsSet?: boolean;
}

/** A setting of any schema: `type` and `shown` given. */
export function setting<T extends z.ZodType>(
  schema: T,
  info: SettingInfo & { readonly type: string; readonly shown: string },
): Setting<T> {
  return {
    schema,
    type: info.type,
    shown: info.shown,
    unit: info.unit ?? "",
    doc: info.doc,
    oldNames: info.oldNames ?? [],
    emptyIsSet: info.emptyIsSet ?? false,
  };
}

/** A whole number above 0, `fallback` when unset. */
export function int(fallback: number, info: SettingInfo) {
  const schema = z.coerce.number().int().positive().default(fallback);
  return setting(schema, { type: "integer > 0", shown: code(fallback), ...info });
}

/** A whole number above 0, or unset (`undefined`). */
export function optionalInt(info: SettingInfo & { readonly shown: string }) {
  return setting(z.coerce.number().int().positive().optional(), { type: "integer > 0", ...info });
}

const _port = () => z.coerce.number().int().min(0).max(65535);

/** A TCP port (0 = any free port), `fallback` when unset. */
export function port(fallback: number, info: SettingInfo) {
  return setting(_port().default(fallback), { type: "port", shown: code(fallback), ...info });
}

/** A TCP port, or unset (`undefined`). */
export function optionalPort(info: SettingInfo) {
  return setting(_port().optional(), { type: "port", shown: "unset", ...info });
}

/** Non-empty text, `fallback` when unset. */
export function text(fallback: string, info: SettingInfo) {
  return setting(z.string().min(1).default(fallback), {
    type: "string",
    shown: code(fallback),
    ...info,
  });
}

/** Non-empty text, or unset (`undefined`). */
export function optionalText(info: SettingInfo) {
  return setting(z.string().min(1).optional(), { type: "string", shown: "unset", ...info });
}

/** The words a boolean setting accepts; the docs show `1` and `0`. */
export const BOOLEAN_WORDS = ["1", "0", "true", "false"] as const;

/** A boolean: `1` or `true` is on, `0` or `false` off (the docs write `1` / `0`). */
export function flag(fallback: boolean, info: SettingInfo) {
  const schema = z.enum(BOOLEAN_WORDS).default(fallback ? "1" : "0")
    .transform((v) => v === "1" || v === "true");
  return setting(schema, { type: "boolean", shown: code(fallback ? 1 : 0), ...info });
}

/** One of `values`, `fallback` when unset. */
export function choice<const V extends readonly [string, ...string[]]>(
  values: V,
  fallback: V[number],
  info: SettingInfo,
) {
  return setting(z.enum(values).default(fallback), {
    type: values.map(code).join(", "),
    shown: code(fallback),
    ...info,
  });
}

/** A comma-separated list (items trimmed, empty ones dropped), `fallback` when unset. */
export function list(fallback: string) {
  return z.string().default(fallback).transform((s) =>
    s.split(",").map((x) => x.trim()).filter((x) => x.length > 0)
  );
}

/** `value` as inline code, for the docs. */
export function code(value: string | number): string {
  return `\`${value}\``;
}

/** Settings by environment variable name. */
export type Settings = Record<string, Setting>;

/** The zod shape of a group of settings: each name with its schema. */
export function shapeOf<S extends Settings>(settings: S): { [K in keyof S]: S[K]["schema"] } {
  const entries = Object.entries(settings).map(([name, s]) => [name, s.schema]);
  return Object.fromEntries(entries) as { [K in keyof S]: S[K]["schema"] };
}
