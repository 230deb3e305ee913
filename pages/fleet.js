// Operations fleet map: / (?token=<ops token> once; the tab keeps it)
/* global L */
import {
  api,
  claims,
  clock,
  currentToken,
  el,
  errorText,
  liveSocket,
  loadConfig,
  makeMap,
} from "./common.js";
import { showError, showSignIn } from "./sign_in.js";
import { startZones } from "./fleet_zones.js";

const STATES = new Set(["idle", "to_pickup", "carrying"]);
const config = await loadConfig();
const token = currentToken();
if (!token) showSignIn(config, { role: "ops", sub: "ops-1", why: "The fleet map is for ops." });
else if (claims(token).role !== "ops") {
  showError("Ops only", "The fleet map needs a token with the ops role.");
} else start();

function start() {
  // Constant markup only; what comes from data is set as text.
  document.getElementById("app").innerHTML = `
    <header class="bar"><div><h1>Fleet</h1>
      <p class="muted small">Drivers in view, live across instances</p></div>
      <span id="link" class="link">connecting</span></header>
    <section class="stats">
      <div class="big"><span class="label">Drivers online</span><strong id="online">–</strong></div>
      <div class="big"><span class="label">Active orders</span><strong id="orders">–</strong></div>
      <div class="big"><span class="label">In view</span><strong id="inview">0</strong></div>
      <div class="big"><span class="label">Partitions read</span><strong id="parts">–</strong></div>
    </section>
    <div class="layout">
      <div id="map" class="map"></div>
      <aside class="card" id="panel"><h2>Driver</h2>
        <p class="muted">Click a driver on the map.</p></aside>
    </div>
    <section class="card"><h2>Zone events</h2><ul id="zone-events" class="small"></ul></section>
    <p class="legend small" id="legend">
      <span class="dot state-idle"></span> idle
      <span class="dot state-to_pickup"></span> on the way to a pickup
      <span class="dot state-carrying"></span> carrying an order
      <span class="dot stale"></span> not reporting (stale)</p>`;
  const map = makeMap(document.getElementById("map"), config);
  const boxes = config.regions.filter((r) => r.bbox).map((r) => r.bbox);
  if (boxes.length > 0) {
    map.fitBounds([
      [Math.min(...boxes.map((b) => b[1])), Math.min(...boxes.map((b) => b[0]))],
      [Math.max(...boxes.map((b) => b[3])), Math.max(...boxes.map((b) => b[2]))],
    ]);
  }
  let zones;
  startZones(map, token).then((z) => zones = z, () => {});
  const drivers = new Map(); // driverId -> { marker, fix }
  const clusterLayer = L.layerGroup().addTo(map);
  let selected;
  const trail = L.polyline([], { className: "trail", weight: 3 }).addTo(map);

  const setText = (id, text) => document.getElementById(id).textContent = text;
  const clearDrivers = () => {
    for (const { marker } of drivers.values()) marker.remove();
    drivers.clear();
  };
  // A fix older than STALE_AFTER_MS by the service's clock (as the service ages it) is greyed.
  const ageMs = (fix) => Math.max(0, Date.now() + config.clockOffsetMs - fix.ts);
  const isStale = (fix) => ageMs(fix) >= config.staleAfterMs;
  const markStale = () => {
    for (const { marker, fix } of drivers.values()) {
      marker.getElement()?.classList.toggle("stale", isStale(fix));
    }
  };
  const driverIcon = (fix) => {
    const arrow = el("span", {}, "▲");
    // Through the CSSOM: CSP allows it, unlike a style attribute in markup.
    arrow.style.transform = `rotate(${Number(fix.heading) || 0}deg)`;
    return L.divIcon({
      className: `pin pin-fleet state-${STATES.has(fix.state) ? fix.state : "idle"}${
        isStale(fix) ? " stale" : ""
      }`,
      html: arrow,
      iconSize: [18, 18],
      iconAnchor: [9, 9],
    });
  };

  const socket = liveSocket("/ws/fleet", token, {
    onOpen: () => sendViewport(),
    onState: (s) => {
      setText("link", s);
      document.getElementById("link").dataset.state = s;
      if (s !== "open") clearDrivers();
    },
    onFrame: (frame) => {
      switch (frame.type) {
        case "positions":
          clusterLayer.clearLayers();
          for (const fix of frame.drivers) {
            const known = drivers.get(fix.driverId);
            if (known) {
              known.marker.setLatLng([fix.lat, fix.lon]);
              known.marker.setIcon(driverIcon(fix));
              known.fix = fix;
            } else {
              const marker = L.marker([fix.lat, fix.lon], {
                icon: driverIcon(fix),
                title: fix.driverId,
              }).addTo(map);
              marker.on("click", () => select(fix.driverId));
              drivers.set(fix.driverId, { marker, fix });
            }
          }
          break;
        case "gone":
          for (const id of frame.driverIds) {
            drivers.get(id)?.marker.remove();
            drivers.delete(id);
          }
          break;
        case "clusters":
          clearDrivers();
          clusterLayer.clearLayers();
          for (const c of frame.clusters) {
            const size = 22 + Math.min(30, Math.log2(c.count) * 5);
            const marker = L.marker([c.lat, c.lon], {
              icon: c.driverId ? driverIcon(c) : L.divIcon({
                className: "pin pin-cluster",
                html: el("span", {}, String(c.count)),
                iconSize: [size, size],
                iconAnchor: [size / 2, size / 2],
              }),
              title: c.driverId ?? `${c.count} drivers`,
            }).addTo(clusterLayer);
            marker.on(
              "click",
              () =>
                c.driverId ? select(c.driverId) : map.setView([c.lat, c.lon], map.getZoom() + 2),
            );
          }
          setText("inview", String(frame.clusters.reduce((n, c) => n + c.count, 0)));
          return;
        case "zone":
          zones?.onZoneEvent(frame);
          return;
        case "stats":
          setText("online", String(frame.driversOnline));
          setText("orders", frame.activeOrders === null ? "–" : String(frame.activeOrders));
          setText("parts", frame.partitions.join(", ") || "–");
          return;
      }
      setText("inview", String(drivers.size));
      if (selected) renderPanel();
    },
  });

  function sendViewport() {
    const b = map.getBounds();
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
    socket.send({
      type: "viewport",
      bbox: [
        clamp(b.getWest(), 180),
        clamp(b.getSouth(), 90),
        clamp(b.getEast(), 180),
        clamp(b.getNorth(), 90),
      ],
      zoom: map.getZoom(),
    });
  }
  map.on("moveend", sendViewport);

  async function select(driverId) {
    selected = { driverId, info: null };
    trail.setLatLngs([]);
    renderPanel();
    const id = encodeURIComponent(driverId);
    const [info, history] = await Promise.all([
      api(`/fleet/drivers/${id}`, token),
      // Its last five minutes, from the stored history.
      api(`/drivers/${id}/history?from=${Date.now() - 5 * 60_000}&limit=1000`, token),
    ]);
    if (selected?.driverId !== driverId) return;
    selected.info = info.status === 200 ? info.body : { error: errorText(info.body) };
    if (history.status === 200) trail.setLatLngs(history.body.points.map((p) => [p.lat, p.lon]));
    renderPanel();
  }

  function renderPanel() {
    const { driverId, info } = selected;
    const fix = drivers.get(driverId)?.fix ?? info?.location;
    const order = info?.order;
    const age = fix ? Math.round(ageMs(fix) / 1000) : null;
    const stale = fix ? isStale(fix) : false;
    const row = (label, id, ...value) => el("tr", {}, el("th", {}, label), el("td", { id }, value));
    document.getElementById("panel").replaceChildren(
      el("h2", {}, `Driver ${driverId}`),
      el(
        "table",
        { id: "driver-info" },
        row("Last fix", "fix-age", age === null ? "–" : `${age} s ago${stale ? " (stale)" : ""}`),
        row("At", undefined, fix ? `${fix.lat.toFixed(5)}, ${fix.lon.toFixed(5)}` : "–"),
        row(
          "Speed",
          "speed",
          fix?.speed === undefined ? "–" : `${(fix.speed * 3.6).toFixed(1)} km/h`,
        ),
        row("Order", "driver-order", ...orderCell(order, info)),
        row("State", "driver-state", (fix?.state ?? "idle").replace("_", " ")),
        fix ? row("Fix time", undefined, clock(fix.ts)) : null,
      ),
    );
  }
  // A plain link: the track page opens in this tab and reads the token the tab keeps.
  const orderCell = (order, info) =>
    order
      ? [
        el("a", { href: `/track/${encodeURIComponent(order.id)}` }, order.id.slice(0, 8)),
        ` · ${order.status.replace("_", " ")}`,
      ]
      : [info ? (info.error ?? "none") : "…"];
  setInterval(() => {
    markStale();
    if (selected) renderPanel();
  }, 1000);
}
