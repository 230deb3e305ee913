import { type Area, BENGALURU_AREA } from "./area.ts";
import type { JwtSigner } from "./jwt_signer.ts";
import type { SimStats } from "./sim_stats.ts";
import type { ViewerSet } from "./viewer_client.ts";

/** Options of {@linkcode startFleetViewers}; defaults in {@linkcode FLEET_VIEWER_DEFAULTS}. */
export interface FleetViewerOptions {
  /** ops sockets on `/ws/fleet` */
  count: number;
  /** service base URLs (http): fleet viewer i uses `bases[i % n]` */
  bases: URL[];
  signer: JwtSigner;
  /** token expiry, epoch seconds */
  exp: number;
  stats: SimStats;
  /** the ops principal is `${prefix}-fleet-<i>` */
  prefix: string;
  /** the viewport: this box (the simulated drivers' area) */
  area?: Area;
  /** the map zoom sent with the viewport (a city on one screen) */
  zoom?: number;
}

/** Defaults of {@linkcode FleetViewerOptions}. */
export const FLEET_VIEWER_DEFAULTS: Required<Pick<FleetViewerOptions, "area" | "zoom">> = Object
  .freeze({ area: BENGALURU_AREA, zoom: 11 });

/**
 * Ops maps on `GET /ws/fleet`, as the fleet page opens them: each socket sends one viewport
 * covering the whole `area` at a city zoom, then only reads. Frames are counted by type in
 * `stats.c.fleetFrames` (`positions`, `clusters`, `gone`, `stats`, `error`); opened sockets in
 * `fleetViewersOpened`. Errors: `fleet_connect_failed`, `fleet_close_<code>` (closed by the server),
 * `fleet_<code>` (an `error` frame).
 */
export function startFleetViewers(o: FleetViewerOptions): ViewerSet {
  const { area, zoom } = { ...FLEET_VIEWER_DEFAULTS, ...o };
  const s = o.stats;
  const sockets = new Set<WebSocket>();
  let stopped = false;
  const frame = (type: string) => s.c.fleetFrames[type] = (s.c.fleetFrames[type] ?? 0) + 1;

  const open = async (i: number): Promise<void> => {
    const token = await o.signer.sign({ sub: `${o.prefix}-fleet-${i}`, role: "ops", exp: o.exp });
    if (stopped) return;
    const u = new URL("/ws/fleet", o.bases[i % o.bases.length]);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(u.href, { headers: { authorization: `Bearer ${token}` } });
    sockets.add(ws);
    let opened = false;
    ws.onmessage = (e) => {
      let m: { type?: unknown; code?: unknown };
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return frame("unparsable");
      }
      frame(String(m.type));
      if (m.type === "error") s.error(`fleet_${String(m.code)}`);
    };
    await new Promise<void>((resolve) => {
      ws.onopen = () => {
        opened = true;
        s.c.fleetViewersOpened++;
        ws.send(JSON.stringify({
          type: "viewport",
          bbox: [area.minLon, area.minLat, area.maxLon, area.maxLat],
          zoom,
        }));
        resolve();
      };
      ws.onclose = (e) => {
        sockets.delete(ws);
        if (!opened) s.error("fleet_connect_failed");
        else if (!stopped) s.error(`fleet_close_${e.code}`);
        resolve();
      };
    });
  };
  const started = Promise.all(Array.from({ length: o.count }, (_, i) => open(i)));

  return {
    async stop() {
      stopped = true;
      await started;
      for (const ws of sockets) if (ws.readyState <= WebSocket.OPEN) ws.close(1000);
      const end = performance.now() + 3000;
      while (performance.now() < end && sockets.size > 0) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
