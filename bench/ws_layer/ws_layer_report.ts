/**
 * Pure parts of `bench/ws_layer/ws_layer.ts`: the fix message the clients send, the send schedule, the
 * per-socket and per-message figures, and the printed table.
 * @module
 */

/** One load phase: `sockets` sockets each sending one fix a second. */
export interface LoadResult {
  sockets: number;
  seconds: number;
  /** fixes the clients sent, per second */
  sentPerSecond: number;
  /** messages the server counted, per second */
  receivedPerSecond: number;
  /** the server process's user + system CPU time over the phase */
  serverCpuSeconds: number;
  /** server CPU µs per message received */
  cpuMicrosPerMessage: number;
  /** highest server RSS sampled during the phase, KiB */
  peakRssKiB: number;
  /** (peak RSS − RSS before any socket) / open sockets */
  peakKiBPerSocket: number;
  /** the client processes' CPU over the phase, percent of one core, summed */
  clientCpuPercent: number;
}

/** One server started fresh: N sockets opened, idle, then load phases. */
export interface ScenarioResult {
  impl: string;
  sockets: number;
  opened: number;
  failed: number;
  openSeconds: number;
  /** server RSS after a warm-up of a few sockets, before the N sockets, KiB */
  rssBeforeKiB: number;
  /** server RSS after the N sockets sent one message each and stayed idle, KiB */
  rssIdleKiB: number;
  idleKiBPerSocket: number;
  loads: LoadResult[];
  /** the server's own counters (`GET /stats`) at the end */
  serverStats: unknown;
}

/** Sends due by `elapsedMs` into a phase of `perSecond` sends a second, evenly spread. */
export function dueSends(elapsedMs: number, perSecond: number): number {
  return Math.floor((Math.max(0, elapsedMs) * perSecond) / 1000);
}

/** `total` split into `parts` counts that differ by at most one, the larger first. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** KiB per socket between two RSS readings (KiB), one decimal. */
export function kibPerSocket(beforeKiB: number, afterKiB: number, sockets: number): number {
  return sockets > 0 ? Math.round((10 * (afterKiB - beforeKiB)) / sockets) / 10 : 0;
}

/** CPU µs per message, one decimal; 0 without messages. */
export function microsPerMessage(cpuSeconds: number, messages: number): number {
  return messages > 0 ? Math.round((1e7 * cpuSeconds) / messages) / 10 : 0;
}

/** A field of `/proc/<pid>/status` in kB (`VmRSS`, `VmHWM`); NaN when absent. */
export function statusKiB(status: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * A GPS fix like a driver app sends, about 150 bytes of JSON: `seq` and `ts` vary, so no two
 * messages are the same string.
 */
export function fixMessage(driver: number, seq: number, ts: number): string {
  const lat = (12.85 + ((driver * 7919 + seq * 31) % 30000) / 100000).toFixed(6);
  const lon = (77.45 + ((driver * 104729 + seq * 17) % 30000) / 100000).toFixed(6);
  return `{"type":"location","driver":"drv-${String(driver).padStart(5, "0")}","lat":${lat},` +
    `"lon":${lon},"speed":${(seq % 12) + 0.5},"heading":${(seq * 37) % 360},"accuracy":6.5,` +
    `"alt":${900 + (seq % 40)}.5,"ts":${ts},"seq":${seq}}`;
}

/** The results as a Markdown table: one line per scenario and load phase. */
export function formatTable(scenarios: ScenarioResult[]): string {
  const lines = [
    "| impl | N open | idle KiB/socket | load sockets | sent/s | received/s | server CPU µs/msg " +
    "| peak RSS MiB | peak KiB/socket | client CPU % |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of scenarios) {
    const head = `| ${s.impl} | ${s.opened}/${s.sockets} | ${s.idleKiBPerSocket}`;
    if (s.loads.length === 0) lines.push(`${head} | – | – | – | – | – | – | – |`);
    for (const l of s.loads) {
      lines.push(
        `${head} | ${l.sockets} | ${Math.round(l.sentPerSecond)} | ` +
          `${Math.round(l.receivedPerSecond)} | ${l.cpuMicrosPerMessage} | ` +
          `${Math.round(l.peakRssKiB / 1024)} | ${l.peakKiBPerSocket} | ` +
          `${Math.round(l.clientCpuPercent)} |`,
      );
    }
  }
  return lines.join("\n");
}
