// The fleet map's zones: drawn from GET /zones, and the last zone events (GET /zones/events on
// load, then each `zone` frame of /ws/fleet as it happens).
/* global L */
import { api, clock, el } from "./common.js";

const SHOWN = 12;

/** Draws the zones on `map` and keeps the list of the last events in `#zone-events`. */
export async function startZones(map, token) {
  const layer = L.layerGroup().addTo(map);
  const events = [];
  const seen = new Set();
  const render = () =>
    document.getElementById("zone-events")?.replaceChildren(
      ...(events.length === 0 ? [el("li", { class: "muted" }, "none yet")] : events.map((e) =>
        el(
          "li",
          { class: `zone-event zone-${e.kind}` },
          `${clock(e.ts)} ${e.driverId} ${e.kind} ${e.zoneName}`,
        )
      )),
    );
  const add = (event, newest = true) => {
    if (seen.has(event.id)) return;
    seen.add(event.id);
    if (newest) events.unshift(event);
    else events.push(event);
    events.length = Math.min(events.length, SHOWN);
    render();
  };
  const [zones, recent] = await Promise.all([
    api("/zones", token),
    api(`/zones/events?limit=${SHOWN}`, token),
  ]);
  if (zones.status === 200) {
    for (const zone of zones.body.zones) {
      const s = zone.shape;
      const options = { className: "zone", weight: 2 };
      const shape = s.type === "Circle"
        ? L.circle([s.lat, s.lon], { ...options, radius: s.radiusMeters })
        : L.polygon(s.coordinates.map((ring) => ring.map(([lon, lat]) => [lat, lon])), options);
      // An element, not a string: Leaflet would set a string as HTML.
      shape.bindTooltip(el("span", {}, `Zone ${zone.name}`)).addTo(layer);
    }
  }
  if (recent.status === 200) { for (const e of recent.body.events) add(e, false); }
  render();
  return { onZoneEvent: (frame) => add(frame) };
}
