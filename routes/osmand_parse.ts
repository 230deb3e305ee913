import { z } from "zod";
import type { Fix } from "../domain/fix.ts";
import { zodProblem } from "../domain/zod_problem.ts";
import { phoneTimestampSchema } from "./osmand_time.ts";
import { transistorsoftSchema } from "./osmand_json.ts";
import { KNOTS_TO_MPS, phoneFix, phoneNumberSchema } from "./phone_fix.ts";

/** What a phone app's request carries: its device key and its fixes, oldest first or not. */
export interface OsmandRequest {
  readonly key: string;
  readonly fixes: readonly Fix[];
}

/** Why a request could not be read (400 `invalid_request`). */
export interface OsmandProblem {
  readonly field: string | undefined;
  readonly message: string;
}

/** A request as it arrived: the query string, the body's media type and text. */
export interface OsmandInput {
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly body: string;
}

// An empty value (`acc=` from an app that does not know it) counts as absent.
const _optional = z.preprocess((v) => v === "" ? undefined : v, phoneNumberSchema.optional());
const _key = z.string().trim().min(1, "must not be empty").max(256);

/**
 * One fix in the query/form shape (OsmAnd, Traccar Client, GPSLogger). `speed` is knots (the
 * OsmAnd protocol's unit), `spd` metres per second (GPSLogger's `%SPD`); `bearing`, `heading`
 * or `dir`; `accuracy` or `acc`; a negative measurement means "unknown" and is left out.
 * `location=lat,lon` stands for `lat` and `lon`. Other keys are ignored.
 */
export const flatFixSchema = z.object({
  lat: phoneNumberSchema,
  lon: phoneNumberSchema,
  timestamp: phoneTimestampSchema,
  speed: _optional,
  spd: _optional,
  bearing: _optional,
  heading: _optional,
  dir: _optional,
  accuracy: _optional,
  acc: _optional,
}).transform((p): Fix =>
  phoneFix(p.lat, p.lon, p.timestamp, {
    speed: p.spd ?? (p.speed === undefined ? undefined : p.speed * KNOTS_TO_MPS),
    heading: p.bearing ?? p.heading ?? p.dir,
    accuracy: p.accuracy ?? p.acc,
  })
);

/**
 * Reads a phone app's request in every shape the OsmAnd protocol has: parameters in the query
 * string or a URL-encoded body (the query wins), a JSON object of those parameters, a JSON array
 * of them (a batch), or a Transistorsoft-style `{device_id, location}` object (Traccar Client 9).
 * The key is `id`, `deviceid` or `device_id`.
 */
export function parseOsmand(input: OsmandInput): OsmandRequest | OsmandProblem {
  const query = Object.fromEntries(input.query);
  const text = input.body.trim();
  const json = /json/i.test(input.contentType) ||
    (!/urlencoded/i.test(input.contentType) && /^[[{]/.test(text));
  if (!json || text === "") {
    const form = json ? {} : Object.fromEntries(new URLSearchParams(text));
    return _flat([{ ...form, ...query }], undefined);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { field: undefined, message: "the body is not valid JSON" };
  }
  const queryKey = _keyOf(query);
  if (Array.isArray(body)) return _flat(body, queryKey);
  if (_isObject(body) && (_isObject(body.location) || Array.isArray(body.location))) {
    return _transistorsoft(body, queryKey);
  }
  if (_isObject(body)) return _flat([{ ...body, ...query }], undefined);
  return { field: undefined, message: "the body must be a JSON object or array" };
}

function _flat(items: readonly unknown[], fallbackKey: string | undefined) {
  if (items.length === 0) return { field: undefined, message: "the batch is empty" };
  let key = fallbackKey;
  const fixes: Fix[] = [];
  for (const [i, raw] of items.entries()) {
    const item = _isObject(raw) ? _withLocation(raw) : raw;
    const where = items.length > 1 ? `${i}.` : "";
    const own = _isObject(item) ? _keyOf(item) : undefined;
    if (own !== undefined && key !== undefined && own !== key) {
      return { field: `${where}id`, message: "every fix of a batch must have the same id" };
    }
    key ??= own;
    const parsed = flatFixSchema.safeParse(item);
    if (!parsed.success) return _problem(parsed.error, item, where);
    fixes.push(parsed.data);
  }
  return _withKey(key, fixes);
}

function _transistorsoft(body: unknown, fallbackKey: string | undefined) {
  const parsed = transistorsoftSchema.safeParse(body);
  if (!parsed.success) return _problem(parsed.error, body, "");
  return _withKey(parsed.data.device_id ?? fallbackKey, parsed.data.fixes);
}

function _withKey(key: string | undefined, fixes: Fix[]): OsmandRequest | OsmandProblem {
  const checked = _key.safeParse(key);
  if (key === undefined) return { field: "id", message: "id (the device key) is required" };
  if (!checked.success) return { field: "id", message: "id must be 1 to 256 characters" };
  return { key: checked.data, fixes };
}

/** `location=lat,lon` as `lat` and `lon` (explicit ones win). */
function _withLocation(item: Record<string, unknown>): Record<string, unknown> {
  const location = item.location;
  if (typeof location !== "string") return item;
  const [lat, lon] = location.split(",");
  return { lat, lon, ...item };
}

function _keyOf(params: Record<string, unknown>): string | undefined {
  const key = params.id ?? params.deviceid ?? params.device_id;
  return typeof key === "string" || typeof key === "number" ? String(key) : undefined;
}

function _problem(error: z.ZodError, input: unknown, where: string): OsmandProblem {
  const { field, message } = zodProblem(error, input);
  return { field: field === undefined ? undefined : `${where}${field}`, message: where + message };
}

function _isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
