// Shared by every page: the tab's token, elements from text, REST with the token, a reconnecting
// socket, the map, toasts. The sign-in form and refusals are in sign_in.js.
/* global L */

/**
 * The page configuration served by the service (tiles, regions, dev sign-in, the stale
 * threshold), with `clockOffsetMs`: the service's clock less this browser's, so that a page ages
 * fixes by the service's time (`Date.now() + clockOffsetMs`), whatever this machine's clock says.
 */
export async function loadConfig() {
  const sent = Date.now();
  const res = await fetch("/pages/config.json");
  const config = await res.json();
  const midway = (sent + Date.now()) / 2;
  config.clockOffsetMs = typeof config.serverNow === "number" ? config.serverNow - midway : 0;
  return config;
}

const TOKEN_KEY = "token";

/**
 * The token of this tab. A `?token=` in the address is taken out of it at once
 * (`history.replaceState`, so it is neither in the history nor in a bookmark or a copied link) and
 * kept in `sessionStorage`: this tab keeps it across reloads and same-tab links to the other
 * pages, and it goes when the tab closes. Undefined when the tab has none.
 */
export function currentToken() {
  const url = new URL(location.href);
  const fromAddress = url.searchParams.get("token");
  if (fromAddress !== null) {
    url.searchParams.delete("token");
    history.replaceState(history.state, "", url);
    if (fromAddress) sessionStorage.setItem(TOKEN_KEY, fromAddress);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Keeps `token` as this tab's token. */
export function keepToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** Drops this tab's token (refused, expired, or the user signs in with another). */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An element with attributes and children; strings become text, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) node.append(child);
  }
  return node;
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
      if (event.code === 4001) forgetToken(); // expired: a reload shows the sign-in form
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
    // The page sends no Referer; tile servers (OpenStreetMap's policy) want one: the origin only.
    L.tileLayer(config.tiles.url, {
      maxZoom: 19,
      attribution: config.tiles.attribution,
      referrerPolicy: "strict-origin",
    }).addTo(map);
  }
  for (const region of config.regions) {
    const style = { color: "#5b6b8c", weight: 1.5, dashArray: "6 4", fill: false };
    const layer = region.bbox
      ? L.rectangle([[region.bbox[1], region.bbox[0]], [region.bbox[3], region.bbox[2]]], style)
      : L.polygon(region.polygon.map(([lon, lat]) => [lat, lon]), style);
    layer.bindTooltip(el("span", {}, `${region.name} · partition ${region.partition}`), {
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
    html: el("span", {}, label),
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
