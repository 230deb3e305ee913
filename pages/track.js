// The customer's page: /track/:orderId (?token= once; the tab keeps it)
/* global L */
import {
  api,
  claims,
  clock,
  currentToken,
  duration,
  el,
  errorText,
  forgetToken,
  liveSocket,
  loadConfig,
  makeMap,
  pin,
  toast,
} from "./common.js";
import { showError, showSignIn } from "./sign_in.js";
import { addLegend, ageText, fixAge, frameMap, PINS } from "./map_parts.js";

const STEPS = [
  ["created", "Order placed"],
  ["assigned", "Driver assigned"],
  ["picked_up", "Picked up"],
  ["delivered", "Delivered"],
];
const orderId = decodeURIComponent(location.pathname.split("/")[2] ?? "");
const config = await loadConfig();
const token = currentToken();

if (!token) {
  showSignIn(config, { role: "customer", why: "Sign in to follow your order." });
} else {
  const { status, body } = await api(`/orders/${encodeURIComponent(orderId)}`, token);
  if (status === 401) {
    forgetToken();
    showSignIn(config, { role: "customer", why: "Your token was refused." });
  } else if (status === 403) {
    showError("Not your order", `You may not follow this order (${errorText(body)}).`);
  } else if (status === 404) showError("Order not found", `There is no order ${orderId}.`);
  else if (status !== 200) showError("Something went wrong", errorText(body));
  else start(body);
}

function start(order) {
  const who = claims(token);
  // Constant markup only; what comes from data is set as text below.
  document.getElementById("app").innerHTML = `
    <header class="bar">
      <div><h1>Your order</h1><p class="muted small" id="who"></p></div>
      <span id="link" class="link">connecting</span>
    </header>
    <section class="summary">
      <div class="big"><span class="label">Status</span><strong id="status"></strong></div>
      <div class="big"><span class="label" id="eta-label">Arrives in</span><strong id="eta">–</strong></div>
    </section>
    <p id="age" class="fix-age muted small" hidden></p>
    <div id="map" class="map"></div>
    <section class="card"><h2>Timeline</h2><ol id="timeline" class="timeline"></ol></section>`;
  document.getElementById("who").textContent = `#${order.id.slice(0, 8)} · ${who.sub ?? ""}`;
  const map = makeMap(document.getElementById("map"), config, {
    center: [order.pickup.lat, order.pickup.lon],
    zoom: 14,
  });
  const { pickup, dropoff } = PINS;
  pin([order.pickup.lat, order.pickup.lon], pickup.kind, pickup.label).addTo(map)
    .bindTooltip("Pick-up (restaurant)");
  pin([order.dropoff.lat, order.dropoff.lon], dropoff.kind, dropoff.label).addTo(map)
    .bindTooltip("Drop-off (you)");
  addLegend(map, [
    [pickup, "Pick-up (restaurant)"],
    [dropoff, "Drop-off (you)"],
    [PINS.driver, "Your driver"],
  ]);
  const state = { order, times: { created: order.createdAt }, seq: 0, eta: null, shown: new Set() };
  const age = fixAge();
  let driver;
  let trail;
  const framing = frameMap(map, () => [
    [order.pickup.lat, order.pickup.lon],
    [order.dropoff.lat, order.dropoff.lon],
    ...(driver ? [driver.getLatLng()] : []),
  ]);

  const render = () => {
    const s = state.order.status;
    document.getElementById("status").textContent = s.replace("_", " ");
    document.getElementById("status").dataset.status = s;
    const at = STEPS.findIndex(([k]) => k === s);
    document.getElementById("timeline").replaceChildren(
      ...(s === "cancelled"
        ? [el("li", { class: "done", "data-step": "cancelled" }, "Cancelled")]
        : STEPS.map(([key, label], i) =>
          el(
            "li",
            { "data-step": key, class: `${i <= at ? "done" : ""}${i === at ? " current" : ""}` },
            label,
            state.times[key] ? [" ", el("time", {}, clock(state.times[key]))] : null,
          )
        )),
    );
    renderEta();
  };
  const renderEta = () => {
    const el = document.getElementById("eta");
    const s = state.order.status;
    renderAge();
    if (s === "delivered" || s === "cancelled") {
      el.textContent = s === "delivered" ? "Delivered" : "–";
      document.getElementById("eta-label").textContent = "Arrival";
      return;
    }
    if (!state.eta || state.stale) {
      // A driver that stopped reporting: no countdown to a time nobody knows.
      el.textContent = "–";
      el.dataset.stale = String(Boolean(state.stale));
      if (state.stale) document.getElementById("eta-label").textContent = "Arrival";
      return;
    }
    el.dataset.stale = "false";
    const left = state.eta.seconds - (Date.now() - state.eta.at) / 1000;
    el.textContent = duration(left);
    document.getElementById("eta-label").textContent = state.eta.target === "pickup"
      ? "At the restaurant in"
      : "Arrives in";
  };
  const renderAge = () => {
    const line = document.getElementById("age");
    const ms = age.ms();
    const s = state.order.status;
    line.hidden = ms === undefined || s === "delivered" || s === "cancelled";
    if (ms === undefined) return;
    line.textContent = state.stale ? `Driver not reporting: ${ageText(ms)}` : ageText(ms);
    line.dataset.stale = String(Boolean(state.stale));
    driver?.getElement()?.classList.toggle("stale", Boolean(state.stale));
  };
  setInterval(renderEta, 1000);
  const fresh = (frame) => {
    state.stale = frame.stale === true;
    age.set(frame.ageMs);
  };

  const moveDriver = (loc) => {
    if (!loc || loc.seq <= state.seq) return; // never show an older position
    state.seq = loc.seq;
    fresh(loc);
    const latlng = [loc.lat, loc.lon];
    if (!driver) {
      driver = pin(latlng, PINS.driver.kind, PINS.driver.label).addTo(map)
        .bindTooltip(el("span", {}, `Driver ${loc.driverId}`));
      trail = L.polyline([latlng], { color: "#2563eb", weight: 3, opacity: 0.6 }).addTo(map);
      framing.fit();
    } else {
      driver.setLatLng(latlng);
      trail.addLatLng(latlng);
      framing.driverAt(latlng);
    }
  };

  liveSocket(`/ws/orders/${encodeURIComponent(order.id)}`, token, {
    onState: (s, code) => {
      const link = document.getElementById("link");
      link.textContent = s === "closed" && code === 1000 ? "finished" : s;
      link.dataset.state = s;
    },
    onFrame: (frame) => {
      switch (frame.type) {
        case "snapshot": // on every (re)connect: continue from here
          state.order = frame.order;
          state.times[frame.order.status] ??= frame.order.updatedAt;
          state.eta = frame.eta ? { ...frame.eta, at: Date.now() } : null;
          moveDriver(frame.location);
          if (frame.location) fresh(frame.location); // its age now, even when already shown
          for (const n of frame.notifications) state.shown.add(n.id);
          break;
        case "location":
          moveDriver(frame);
          break;
        case "eta":
          state.eta = { ...frame, at: Date.now() };
          break;
        case "stale":
          fresh(frame);
          break;
        case "status":
          state.order = { ...state.order, status: frame.status };
          state.times[frame.status] = frame.at;
          toast(`Your order is ${frame.status.replace("_", " ")}`, "status");
          break;
        case "notification":
          if (state.shown.has(frame.id)) break;
          state.shown.add(frame.id);
          toast(
            frame.kind === "driver_near"
              ? `Your driver is ${frame.thresholdMeters} m away`
              : frame.kind === "driver_at_restaurant"
              ? `Your driver is at the restaurant`
              : `Your driver is arriving at the restaurant`,
            "notice",
          );
          break;
      }
      render();
    },
  });
  render();
}
