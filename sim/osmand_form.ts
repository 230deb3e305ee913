import type { Fix } from "./route_walker.ts";
/** Knots per metre a second: the OsmAnd protocol's `speed` is in knots (1 kn = 1852 m / h). */
export const KNOTS_PER_MPS = 3600 / 1852;

/** A simulated fix, as `RouteWalker.fix` makes it (`ts` in epoch ms, whole seconds for phones). */
export type PhoneFix = Fix;

/**
 * The form body Traccar Client 10 posts for one fix (`application/x-www-form-urlencoded`): the
 * device key as `id`, `lat`, `lon`, `timestamp` in Unix **seconds**, `speed` in **knots**,
 * `bearing` (degrees) and `accuracy` (metres). A fix's `ts` below a whole second is cut off, as
 * the app sends `time / 1000` as an integer.
 */
export function osmandForm(key: string, fix: PhoneFix): URLSearchParams {
  return new URLSearchParams({
    id: key,
    lat: String(fix.lat),
    lon: String(fix.lon),
    timestamp: String(Math.floor(fix.ts / 1000)),
    speed: String(fix.speed * KNOTS_PER_MPS),
    bearing: String(fix.heading),
    accuracy: String(fix.accuracy),
  });
}
