import { parseArgs } from "node:util";
import { parseIpList } from "./ip_list.ts";
import { serviceUrls, SIMULATION_DEFAULTS, type SimulationOptions } from "./simulation_options.ts";
import { autoSourceIps } from "./source_ips.ts";

/** Parsed command line of `simulate.ts`. */
export interface SimulateArgs {
  sim: Partial<SimulationOptions>;
  /** simulator processes; "auto" = as many as the open-files limit needs */
  procs: number | "auto";
  /** internal: run as one shard and report NDJSON on stdout */
  child: boolean;
  help: boolean;
}

/** Usage text of `deno task simulate`. */
export const SIMULATE_USAGE = `deno task simulate [options]
  --drivers N        simulated drivers, one WebSocket each (default 100)
  --interval MS      ms between one driver's fixes (default 1000)
  --duration S       seconds of steady sending after ramp-up (default 30)
  --ramp-up S        seconds over which connections open (default 5)
  --url URL          service base URL (default http://127.0.0.1:8000)
  --viewer-url URL   base URL of the viewers' REST and sockets when not --url's
  --secret S         JWT_SECRET of the service (default $JWT_SECRET or the dev secret)
  --viewers N        customer viewers on /ws/orders/:id (default 0): viewer i creates an order,
                     assigns it to driver i and watches it
  --order-share F    share of drivers (0..1) with an active order (default 0): orders for the
                     first drivers are created and assigned; the first --viewers are watched
  --fleet-viewers N  ops fleet maps on /ws/fleet, each viewing the whole city (default 0)
  --osmand-share F   share of drivers (0..1) that are phones on the OsmAnd protocol instead of
                     the driver socket (default 0; 1 = all phones): each registers a device key
                     as ops, then form-POSTs its fixes to /osmand as Traccar Client 10 does, one
                     keep-alive connection each; needs --interval >= 1000 (whole seconds)
  --source-ips LIST  loopback source addresses, e.g. 127.0.0.1-127.0.0.8 ("auto": one per
                     25,000 drivers per service URL, when over 25,000; "none")
  --target-ips LIST  connect to these addresses instead of the URL's host, round-robin
                     (the service must listen on 0.0.0.0)
  --token-in-query   send the JWT as ?token= instead of Authorization: Bearer
  --procs N|auto     simulator processes (default auto: enough for the open-files limit)
  --prefix P         driver id prefix (default sim-<time>)
  --seed N           route seed (default 1)
  --drain S          seconds to wait for the last acks (default 3)`;

/** The `parseArgs` options of `simulate.ts` (numbers come as strings, checked after). */
const _OPTIONS = {
  drivers: { type: "string" },
  interval: { type: "string" },
  duration: { type: "string" },
  "ramp-up": { type: "string" },
  url: { type: "string" },
  "viewer-url": { type: "string" },
  secret: { type: "string" },
  viewers: { type: "string" },
  "order-share": { type: "string" },
  "fleet-viewers": { type: "string" },
  "osmand-share": { type: "string" },
  "source-ips": { type: "string" },
  "target-ips": { type: "string" },
  "token-in-query": { type: "boolean" },
  procs: { type: "string" },
  prefix: { type: "string" },
  seed: { type: "string" },
  drain: { type: "string" },
  shard: { type: "string" },
  shards: { type: "string" },
  child: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses `simulate.ts` arguments; throws a RangeError on a bad value. */
export function parseSimulateArgs(args: string[], env: Record<string, string> = {}): SimulateArgs {
  const { values: v } = parseArgs({ args, options: _OPTIONS });
  const sim: Partial<SimulationOptions> = {};
  const set = <K extends keyof SimulationOptions>(k: K, val: SimulationOptions[K] | undefined) => {
    if (val !== undefined) sim[k] = val;
  };
  set("drivers", _num("drivers", v.drivers, 1));
  set("intervalMs", _num("interval", v.interval, 1));
  set("durationS", _num("duration", v.duration, 0));
  set("rampUpS", _num("ramp-up", v["ramp-up"], 0));
  set("viewers", _num("viewers", v.viewers, 0));
  set("orderShare", parseOrderShare(v["order-share"]));
  set("fleetViewers", _num("fleet-viewers", v["fleet-viewers"], 0));
  set("osmandShare", parseOsmandShare(v["osmand-share"]));
  checkPhoneInterval(sim.osmandShare ?? 0, sim.intervalMs ?? SIMULATION_DEFAULTS.intervalMs);
  set("seed", _num("seed", v.seed, 0));
  set("drainS", _num("drain", v.drain, 0));
  set("shard", _num("shard", v.shard, 0));
  set("shards", _num("shards", v.shards, 1));
  set("url", v.url);
  set("viewerUrl", v["viewer-url"]);
  set("secret", v.secret ?? env.JWT_SECRET);
  set("prefix", v.prefix);
  if (v["token-in-query"]) sim.tokenInQuery = true;
  if (v["target-ips"]) sim.targetIps = parseIpList(v["target-ips"]);
  const sourceIps = _sourceIps(v["source-ips"] ?? "auto", sim);
  if (sourceIps) sim.sourceIps = sourceIps;
  const procs = v.procs === undefined || v.procs === "auto" ? "auto" : _num("procs", v.procs, 1)!;
  return { sim, procs, child: v.child ?? false, help: v.help ?? false };
}

/** A number option `--name` of at least `min`, or undefined when absent. */
function _num(name: string, s: string | undefined, min: number): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min) {
    throw new RangeError(`--${name} must be a number >= ${min}`);
  }
  return n;
}

/**
 * `--source-ips`: a list, "none" (undefined), or "auto": as many as the drivers of `sim` need
 * (none while few), undefined when that is none.
 */
function _sourceIps(src: string, sim: Partial<SimulationOptions>): string[] | undefined {
  if (src === "none") return undefined;
  if (src !== "auto") return parseIpList(src);
  const drivers = sim.drivers ?? 100;
  // Drivers spread over the instances' URLs (and target addresses): ports run out per pair.
  const destinations = serviceUrls(sim.url ?? SIMULATION_DEFAULTS.url).length *
    Math.max(1, sim.targetIps?.length ?? 0);
  const ips = autoSourceIps(drivers, destinations);
  return ips.length ? ips : undefined;
}

/** `--order-share`: a number from 0 to 1, or undefined when absent. */
export function parseOrderShare(s: string | undefined): number | undefined {
  return _share("order-share", s);
}

/** `--osmand-share`: the share of drivers that are phones, 0 to 1, or undefined when absent. */
export function parseOsmandShare(s: string | undefined): number | undefined {
  return _share("osmand-share", s);
}

/**
 * Throws a RangeError when phones would send more than a fix a second: their `timestamp` is in
 * whole seconds (Traccar Client's), and a driver's fixes must have rising times.
 */
export function checkPhoneInterval(osmandShare: number, intervalMs: number): void {
  if (osmandShare > 0 && intervalMs < 1000) {
    throw new RangeError("--osmand-share needs --interval >= 1000: phones send whole seconds");
  }
}

/** `--osmand-share` (0 when absent), checked against `intervalMs` by {@linkcode checkPhoneInterval}. */
export function osmandShareAt(s: string | undefined, intervalMs: number): number {
  const share = parseOsmandShare(s) ?? 0;
  checkPhoneInterval(share, intervalMs);
  return share;
}

function _share(name: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new RangeError(`--${name} must be a number from 0 to 1`);
  }
  return n;
}
