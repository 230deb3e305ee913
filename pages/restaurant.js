// A restaurant's dashboard: /restaurant/:restaurantId (?token= once; the tab keeps it)
/* global L */
import {
  claims,
  currentToken,
  duration,
  el,
  liveSocket,
  loadConfig,
  makeMap,
  pin,
  toast,
} from "./common.js";
import { showError, showSignIn } from "./sign_in.js";
import { addLegend, ageText, fixAge, PINS } from "./map_parts.js";

const restaurantId = decodeURIComponent(location.pathname.split("/")[2] ?? "");
const config = await loadConfig();
const token = currentToken();
const who = token ? claims(token) : {};
if (!token) {
  showSignIn(config, {
    role: "restaurant",
    sub: restaurantId,
    why: "Sign in as the restaurant (or ops).",
  });
} else if (who.role !== "ops" && !(who.role === "restaurant" && who.sub === restaurantId)) {
  showError("Not your restaurant", `This token may not watch restaurant ${restaurantId}.`);
} else start();

function start() {
  // Constant markup only; what comes from data is set as text below.
  document.getElementById("app").innerHTML = `
    <header class="bar"><div><h1 id="restaurant"></h1>
      <p class="muted small">Active orders, live</p></div>
      <span id="link" class="link">connecting</span></header>
    <div id="alert" class="card alert" hidden></div>
    <div class="layout">
      <div><div id="map" class="map"></div></div>
      <aside class="card"><h2>Orders</h2>
        <table><thead><tr><th>Order</th><th>Status</th><th>ETA</th><th>Position</th></tr></thead>
        <tbody id="orders"><tr><td colspan="4" class="muted">No active orders</td></tr></tbody>
        </table></aside>
    </div>`;
  document.getElementById("restaurant").textContent = restaurantId;
  const map = makeMap(document.getElementById("map"), config);
  const { pickup, dropoff, driver } = PINS;
  addLegend(map, [
    [pickup, "Pick-up (this restaurant)"],
    [dropoff, "Drop-off (the customer)"],
    [driver, "Driver"],
  ]);
  const orders = new Map(); // orderId -> { order, eta, seq, layers: {pickup, dropoff, driver} }
  const seen = new Set(); // notification ids already shown
  let fitted = false;

  const entry = (order) => {
    let e = orders.get(order.id);
    if (!e) {
      e = { order, eta: null, seq: 0, layers: {}, age: fixAge(), stale: false };
      e.layers.pickup = pin([order.pickup.lat, order.pickup.lon], pickup.kind, pickup.label)
        .addTo(map);
      e.layers.dropoff = pin([order.dropoff.lat, order.dropoff.lon], dropoff.kind, dropoff.label)
        .addTo(map)
        .bindTooltip(el("span", {}, `Drop-off of ${order.id.slice(0, 8)}`));
      orders.set(order.id, e);
      if (!fitted) {
        fitted = true;
        map.setView([order.pickup.lat, order.pickup.lon], 13);
      }
    }
    e.order = order;
    return e;
  };
  const moveDriver = (e, loc) => {
    if (!loc || loc.seq <= e.seq) return;
    e.seq = loc.seq;
    fresh(e, loc);
    if (e.layers.driver) e.layers.driver.setLatLng([loc.lat, loc.lon]);
    else {
      e.layers.driver = pin([loc.lat, loc.lon], driver.kind, driver.label).addTo(map)
        .bindTooltip(el("span", {}, `Driver ${loc.driverId}`));
    }
  };
  const fresh = (e, frame) => {
    e.stale = frame.stale === true;
    e.age.set(frame.ageMs);
  };
  const finish = (e) => {
    for (const layer of Object.values(e.layers)) layer.remove();
    setTimeout(() => {
      orders.delete(e.order.id);
      render();
    }, 10_000);
  };

  const render = () => {
    const rows = [...orders.values()].map((e) => {
      const s = e.order.status;
      const ms = e.age.ms();
      e.layers.driver?.getElement()?.classList.toggle("stale", e.stale);
      const left = e.eta && !e.stale && !["delivered", "cancelled"].includes(s)
        ? `${duration(e.eta.seconds - (Date.now() - e.eta.at) / 1000)} to ${
          e.eta.target === "pickup" ? "here" : "customer"
        }`
        : "–";
      return el(
        "tr",
        { "data-order": e.order.id, "data-status": s },
        el("td", {}, e.order.id.slice(0, 8)),
        el("td", {}, s.replace("_", " ")),
        el("td", { class: "eta" }, left),
        el(
          "td",
          { class: "fix-age", "data-stale": String(e.stale) },
          ms === undefined ? "–" : `${e.stale ? "not reporting: " : ""}${ageText(ms)}`,
        ),
      );
    });
    document.getElementById("orders").replaceChildren(
      ...(rows.length > 0
        ? rows
        : [el("tr", {}, el("td", { colspan: "4", class: "muted" }, "No active orders"))]),
    );
  };
  setInterval(render, 1000);

  const alert = (text) => {
    const box = document.getElementById("alert");
    box.hidden = false;
    box.textContent = text;
    toast(text, "alert", 10_000);
  };

  liveSocket(`/ws/restaurants/${encodeURIComponent(restaurantId)}`, token, {
    onState: (s) => {
      document.getElementById("link").textContent = s;
      document.getElementById("link").dataset.state = s;
    },
    onFrame: (frame) => {
      const e = frame.orderId ? orders.get(frame.orderId) : undefined;
      switch (frame.type) {
        case "snapshot": {
          const n = entry(frame.order);
          n.eta = frame.eta ? { ...frame.eta, at: Date.now() } : null;
          moveDriver(n, frame.location);
          if (frame.location) fresh(n, frame.location);
          for (const old of frame.notifications) seen.add(old.id);
          break;
        }
        case "location":
          if (e) moveDriver(e, frame);
          break;
        case "eta":
          if (e) e.eta = { ...frame, at: Date.now() };
          break;
        case "stale":
          if (e) fresh(e, frame);
          break;
        case "status":
          if (!e) break;
          e.order = { ...e.order, status: frame.status, driverId: frame.driverId };
          if (frame.status === "delivered" || frame.status === "cancelled") finish(e);
          break;
        case "notification":
          if (seen.has(frame.id)) break;
          seen.add(frame.id);
          if (frame.kind === "driver_at_restaurant") {
            alert(
              `Driver ${frame.driverId} is at the restaurant for order ${
                frame.orderId.slice(0, 8)
              }`,
            );
          } else if (frame.kind === "driver_arriving") {
            alert(
              `Driver ${frame.driverId} is arriving for order ${frame.orderId.slice(0, 8)} (${
                Math.round(frame.distanceMeters)
              } m away)`,
            );
          }
          break;
      }
      render();
    },
  });
}
