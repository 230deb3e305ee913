// Shared by every page: sign-in, REST with the token, a reconnecting socket, the map, toasts.
/* global L */

/** The page configuration served by the service (tiles, regions, dev sign-in). */
export async function loadConfig() {
  const res = await fetch("/pages/config.json");
  return await res.json();
}

/** The token from `?token=`, or undefined. */
export function currentToken() {
  return new URLSearchParams(location.search).get("token") ?? undefined;
}

/** Claims of a JWT, decoded without verification (display only; the server verifies). */
export function claims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part));
  } catch {
    return {};
  }
}

/** Replaces the page with a sign-in form: paste a token, or (dev only) one click per role. */
export function showSignIn(config, { role, sub, why } = {}) {
  const app = document.getElementById("app");
  app.innerHTML = `
    <section class="card signin">
      <h1>Sign in</h1>
      ${why ? `<p class="why">${escapeHtml(why)}</p>` : ""}
      <form id="token-form">
        <label for="token-input">Paste a token</label>
        <textarea id="token-input" rows="3" placeholder="eyJhbGciOi..." required></textarea>
        <button type="submit">Open</button>
      </form>
      <div id="dev-signin"></div>
    </section>`;
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    goWithToken(document.getElementById("token-input").value.trim());
  });
  if (!config.devSignIn) return;
  const box = document.getElementById("dev-signin");
  box.innerHTML = `<h2>Dev sign-in</h2><p class="muted">The service runs with the dev secret.</p>
    <div class="dev-row"><input id="dev-sub" value="${escapeHtml(sub ?? "")}" placeholder="id">
    ${
    ["customer", "restaurant", "ops", "driver"].map((r) =>
      `<button type="button" class="dev-role${
        r === role ? " primary" : ""
      }" data-role="${r}">${r}</button>`
    ).join("")
  }</div>`;
  for (const button of box.querySelectorAll("button.dev-role")) {
    button.addEventListener("click", async () => {
      const id = document.getElementById("dev-sub").value.trim() || `${button.dataset.role}-1`;
      const res = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: button.dataset.role, sub: id }),
      });
      if (res.ok) goWithToken((await res.json()).token);
    });
  }
}

function goWithToken(token) {
  const url = new URL(location.href);
  url.searchParams.set("token", token);
  location.assign(url);
}

/** Shows a refusal (or another error) instead of data. */
export function showError(title, message) {
  document.getElementById("app").innerHTML = `<section class="card refusal" id="refusal">
    <h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
    <p><a href="${location.pathname}">Sign in with another token</a></p></section>`;
}

/** GET with the token; resolves `{status, body}`. */
export async function api(path, token) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
}

/** The message of an error body (`{error}` or `{error:{message}}`). */
export function errorText(body) {
  const e = body?.error;
  return typeof e === "string" ? e : e?.message ?? "request failed";
}

/**
 * A socket that reconnects with backoff until `stop()` or a final close (1000 finished, 4001
 * token expired, 4004 not found). `onFrame(frame)` gets each JSON frame, `onState(state, code)`
 * "open" | "reconnecting" | "closed".
 */
export function liveSocket(path, token, { onFrame, onState, onOpen }) {
  let ws;
  let stopped = false;
  let delay = 500;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    ws = new WebSocket(`${scheme}://${location.host}${path}?token=${encodeURIComponent(token)}`);
    ws.onopen = () => {
      delay = 500;
      onState?.("open");
      onOpen?.(ws);
    };
    ws.onmessage = (event) => onFrame(JSON.parse(event.data));
    ws.onclose = (event) => {
      if (stopped || [1000, 4001, 4004].includes(event.code)) {
        onState?.(event.code === 4001 ? "token expired" : "closed", event.code);
        return;
      }
      onState?.("reconnecting", event.code);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  connect();
  return {
    send: (frame) => ws?.readyState === 1 && ws.send(JSON.stringify(frame)),
    stop: () => {
      stopped = true;
      ws?.close();
    },
  };
}

/** A Leaflet map on a plain background: tiles when configured, region outlines, a scale. */
export function makeMap(element, config, view = { center: [12.97, 77.6], zoom: 12 }) {
  const map = L.map(element, { zoomControl: true, preferCanvas: false });
  map.setView(view.center, view.zoom);
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { maxZoom: 19, attribution: config.tiles.attribution })
      .addTo(map);
  }
  for (const region of config.regions) {
    const style = { color: "#5b6b8c", weight: 1.5, dashArray: "6 4", fill: false };
    const layer = region.bbox
      ? L.rectangle([[region.bbox[1], region.bbox[0]], [region.bbox[3], region.bbox[2]]], style)
      : L.polygon(region.polygon.map(([lon, lat]) => [lat, lon]), style);
    layer.bindTooltip(`${region.name} · partition ${region.partition}`, {
      permanent: true,
      direction: "center",
      className: "region-label",
    });
    layer.addTo(map);
  }
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  return map;
}

/** A round pin marker with a label, drawn with CSS (no images). */
export function pin(latlng, kind, label) {
  const icon = L.divIcon({
    className: `pin pin-${kind}`,
    html: `<span>${escapeHtml(label)}</span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
  });
  return L.marker(latlng, { icon, title: label, keyboard: false });
}

/** A toast that disappears after `ms`. */
export function toast(text, kind = "info", ms = 6000) {
  let box = document.getElementById("toasts");
  if (!box) {
    box = document.createElement("div");
    box.id = "toasts";
    document.body.append(box);
  }
  const el = document.createElement("div");
  el.className = `toast toast-${kind}`;
  el.setAttribute("role", "status");
  el.textContent = text;
  box.append(el);
  setTimeout(() => el.remove(), ms);
}

/** "3 min 05 s" */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
}

/** HH:MM:SS of an epoch ms. */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** Escapes text for HTML. */
export function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}
