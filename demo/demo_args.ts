import { parseArgs } from "node:util";
import { type Area, BENGALURU_AREA } from "../sim/area.ts";

/** Parsed command line of `deno task demo`. */
export interface DemoArgs {
  drivers: number;
  /** orders under way at once */
  orders: number;
  port: number;
  /** simulated seconds per real second (1 = real time) */
  timeScale: number;
  /** where the drivers drive: a `--area-km` square around the centre of the Bengaluru box */
  area: Area;
  /** driver, customer and restaurant ids start with it */
  prefix: string;
  seed: number;
  /** register a phone for driver `<prefix>-phone` and print the app settings */
  device: boolean;
  help: boolean;
}

/** The fastest `--time-scale`: 11 m/s cruise × 4 plus GPS noise stays under the 70 m/s filter. */
export const MAX_TIME_SCALE = 4;

/**
 * Side of the default demo city, km: 200 drivers in 100 km² find an idle driver a few hundred
 * metres from a restaurant, so orders move within minutes at real time.
 */
export const DEMO_AREA_KM = 10;

/** Usage text of `deno task demo`. */
export const DEMO_USAGE = `deno task demo [options]
  Starts the local broker (unless KAFKA_BROKERS is set), the service in dev mode (embedded
  PostgreSQL unless DATABASE_URL is set) and a simulated city: drivers on the move, orders
  created, assigned, picked up and delivered. Prints the pages' URLs with dev tokens.
  Ctrl-C stops the city and the service (the broker keeps running, as with deno task dev).
  --drivers N       simulated drivers (default 200)
  --orders N        orders under way at once (default: half the drivers)
  --port N          the service's port (default $PORT or 8000)
  --time-scale X    simulated seconds per real second, 1 to ${MAX_TIME_SCALE} (default 1)
  --area-km K       drive in a K x K km square around the city centre, 1 to 25 (default 10;
                    inside the default regions file's 33 x 33 km box)
  --prefix P        id prefix (default demo-<time>)
  --seed N          route and order seed (default 1)
  --device          register a phone as driver <prefix>-phone and print the settings to type
                    into Traccar Client, OsmAnd or GPSLogger (docs/phones.md)`;

/** Parses `deno task demo` arguments; throws a RangeError on a bad value. */
export function parseDemoArgs(args: string[], env: Record<string, string> = {}): DemoArgs {
  const { values: v } = parseArgs({
    args,
    options: {
      drivers: { type: "string" },
      orders: { type: "string" },
      port: { type: "string" },
      "time-scale": { type: "string" },
      "area-km": { type: "string" },
      prefix: { type: "string" },
      seed: { type: "string" },
      device: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const num = (
    name: string,
    s: string | undefined,
    fallback: number,
    min: number,
    max = Infinity,
  ) => {
    if (s === undefined) return fallback;
    const n = Number(s);
    if (s.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new RangeError(
        `--${name} must be a number from ${min}${max < Infinity ? ` to ${max}` : " up"}`,
      );
    }
    return n;
  };
  const drivers = Math.round(num("drivers", v.drivers, 200, 1));
  const areaKm = num("area-km", v["area-km"], DEMO_AREA_KM, 1, 25);
  return {
    drivers,
    orders: Math.round(num("orders", v.orders, Math.ceil(drivers / 2), 0, drivers)),
    port: num("port", v.port ?? env.PORT, 8000, 1, 65535),
    timeScale: num("time-scale", v["time-scale"], 1, 1, MAX_TIME_SCALE),
    area: squareArea(areaKm),
    prefix: v.prefix ?? `demo-${Date.now().toString(36)}`,
    seed: num("seed", v.seed, 1, 0),
    device: v.device ?? false,
    help: v.help ?? false,
  };
}

/** A `km` × `km` square centred where the default regions split north from south. */
export function squareArea(km: number): Area {
  const c = BENGALURU_AREA;
  const lat = c.splitLat;
  const lon = (c.minLon + c.maxLon) / 2;
  const dLat = km / 2 / 111.32;
  const dLon = km / 2 / (111.32 * Math.cos((lat * Math.PI) / 180));
  return Object.freeze({
    minLat: lat - dLat,
    maxLat: lat + dLat,
    minLon: lon - dLon,
    maxLon: lon + dLon,
    splitLat: lat,
  });
}
