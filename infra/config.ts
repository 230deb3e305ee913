import { z } from "zod";
import { ACCESS_SETTINGS } from "./config_access.ts";
import { KAFKA_SETTINGS } from "./config_kafka.ts";
import { LIMIT_SETTINGS } from "./config_limits.ts";
import { SERVER_SETTINGS } from "./config_server.ts";
import { shapeOf } from "./config_setting.ts";
import { TRACKING_SETTINGS } from "./config_tracking.ts";

export { KAFKA_OUTAGE_DEFAULTS } from "./config_kafka.ts";

/**
 * The dev-only JWT secret, used when `JWT_SECRET` is unset and `TRACKING_DEV=1` (set by
 * `deno task dev`). Printed at start-up. Anywhere else start-up refuses it.
 */
export const DEV_JWT_SECRET = "dev-secret-change-me-never-use-in-production";

/** Fewest bytes (UTF-8) a `JWT_SECRET` must have: HS256 wants a key as long as its hash. */
export const MIN_JWT_SECRET_BYTES = 32;

/** Every setting, by area, in the order of docs/configuration.md. */
export const SETTING_GROUPS = [
  { title: "Service and HTTP", settings: SERVER_SETTINGS },
  { title: "Kafka", settings: KAFKA_SETTINGS },
  { title: "Tokens, dev mode and logs", settings: ACCESS_SETTINGS },
  { title: "Limits", settings: LIMIT_SETTINGS },
  { title: "Tracking, notifications, zones and pages", settings: TRACKING_SETTINGS },
] as const;

/** Every setting by its environment variable name: the one schema of the configuration. */
export const SETTINGS = {
  ...SERVER_SETTINGS,
  ...KAFKA_SETTINGS,
  ...ACCESS_SETTINGS,
  ...LIMIT_SETTINGS,
  ...TRACKING_SETTINGS,
};

/** The name of a setting. */
export type SettingName = keyof typeof SETTINGS;

const _fields = z.object(shapeOf(SETTINGS));

/** Every setting parsed, before the JWT secret is resolved. */
export type Settings = z.infer<typeof _fields>;

const _schema = _fields.superRefine((c, ctx) => {
  if (c.KAFKA_SASL_MECHANISM && !(c.KAFKA_SASL_USERNAME && c.KAFKA_SASL_PASSWORD)) {
    ctx.addIssue({
      code: "custom",
      path: ["KAFKA_SASL_MECHANISM"],
      message: "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD",
    });
  }
  if ((c.KAFKA_TLS_CERT_FILE === undefined) !== (c.KAFKA_TLS_KEY_FILE === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["KAFKA_TLS_CERT_FILE"],
      message: "KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together",
    });
  }
});

/** The service's configuration, parsed from the environment. */
export type Config = Omit<Settings, "JWT_SECRET"> & { JWT_SECRET: string };

/**
 * Parses the configuration from environment variables, applying defaults; a former name of a
 * setting is read when the setting is unset ({@linkcode deprecatedNames} says which).
 * Throws a `TypeError` that names every wrong variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = _schema.safeParse(presentSettings(env));
  if (!parsed.success) throw _invalid(parsed.error, env);
  const dev = parsed.data.TRACKING_DEV;
  return { ...parsed.data, JWT_SECRET: jwtSecret(parsed.data.JWT_SECRET, dev) };
}

/**
 * Parses only the settings `names` (for a process that needs a few before, or instead of, the
 * whole configuration), by the same schema: defaults, former names and errors as
 * {@linkcode loadConfig}.
 */
export function pickSettings<const K extends SettingName>(
  env: Record<string, string | undefined>,
  names: readonly K[],
): Pick<Settings, K> {
  const shape = Object.fromEntries(names.map((n) => [n, SETTINGS[n].schema]));
  const parsed = z.object(shape).safeParse(presentSettings(env));
  if (!parsed.success) throw _invalid(parsed.error, env);
  return parsed.data as Pick<Settings, K>;
}

/**
 * The settings `env` sets, by their current names: a variable set to the empty string counts
 * as unset (but for `NO_COLOR`), and a former name stands for its setting when that is unset.
 */
export function presentSettings(env: Record<string, string | undefined>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, s] of Object.entries(SETTINGS) as [string, (typeof SETTINGS)[SettingName]][]) {
    const value = [name, ...s.oldNames].map((n) => env[n])
      .find((v) => v !== undefined && (v !== "" || s.emptyIsSet));
    if (value !== undefined) present[name] = value;
  }
  return present;
}

/** Settings no longer read, and why: `env` setting one gets a start-up line saying so. */
const _REMOVED: Readonly<Record<string, string>> = {
  ZONES_GROUP: "the zone judge reads driver-locations with the history writer, in HISTORY_GROUP",
  NOTIFIER_GROUP: "the notifier reads driver-locations with the history writer, in HISTORY_GROUP",
};

/**
 * One line per former setting name `env` sets, for the start-up log: `ARRIVING_METERS is
 * deprecated: use ARRIVING_M` (or that it is ignored, when the new name is set too); and one per
 * removed setting it sets (`ZONES_GROUP is no longer read: ...`).
 */
export function deprecatedNames(env: Record<string, string | undefined>): string[] {
  const lines: string[] = [];
  for (const [name, s] of Object.entries(SETTINGS) as [string, (typeof SETTINGS)[SettingName]][]) {
    const set = (n: string) => env[n] !== undefined && env[n] !== "";
    for (const old of s.oldNames.filter(set)) {
      const first = [name, ...s.oldNames].find(set);
      lines.push(
        first === old
          ? `${old} is deprecated: use ${name}`
          : `${old} is deprecated and ignored: ${first} is set`,
      );
    }
  }
  for (const [name, why] of Object.entries(_REMOVED)) {
    if (env[name] !== undefined && env[name] !== "") {
      lines.push(`${name} is no longer read: ${why}`);
    }
  }
  return lines;
}

/** The error of a refused configuration, naming each variable as `env` spells it. */
function _invalid(error: z.ZodError, env: Record<string, string | undefined>): TypeError {
  const problems = error.issues.map((i) => `${_spelledAs(i.path, env)}: ${i.message}`);
  return new TypeError(`invalid configuration: ${problems.join("; ")}`);
}

/** A setting's name, or the former name `env` gave its value under. */
function _spelledAs(path: readonly PropertyKey[], env: Record<string, string | undefined>) {
  const name = String(path[0] ?? "");
  const s = (SETTINGS as Record<string, { oldNames: readonly string[] }>)[name];
  const set = (n: string) => env[n] !== undefined && env[n] !== "";
  const spelled = s && !set(name) ? s.oldNames.find(set) ?? name : name;
  return [spelled, ...path.slice(1).map(String)].join(".");
}

/**
 * The JWT secret to use: `JWT_SECRET` when it has at least {@linkcode MIN_JWT_SECRET_BYTES}
 * bytes and is not the dev secret; the dev secret only in dev mode (`TRACKING_DEV=1`) when
 * unset. Throws a `TypeError` with a one-line reason otherwise.
 */
export function jwtSecret(value: string | undefined, dev: boolean): string {
  if (value === undefined) {
    if (dev) return DEV_JWT_SECRET;
    throw new TypeError(
      `JWT_SECRET is unset: set a random secret of at least ${MIN_JWT_SECRET_BYTES} bytes ` +
        "(e.g. openssl rand -base64 48), or use `deno task dev` for the dev secret",
    );
  }
  if (value === DEV_JWT_SECRET && !dev) {
    throw new TypeError("JWT_SECRET is the dev secret: only `deno task dev` may use it");
  }
  const bytes = new TextEncoder().encode(value).length;
  if (bytes < MIN_JWT_SECRET_BYTES) {
    throw new TypeError(
      `JWT_SECRET has ${bytes} bytes: at least ${MIN_JWT_SECRET_BYTES} are required`,
    );
  }
  return value;
}
