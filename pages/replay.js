// Replay a driver's stored track: /replay?driver=...&from=...&to=... (epoch ms; ?token= once)
/* global L */
import { api, claims, clock, currentToken, errorText, loadConfig, makeMap, pin } from "./common.js";
import { showError, showSignIn } from "./sign_in.js";

const PAGE = 1000;
const config = await loadConfig();
const token = currentToken();
const params = new URLSearchParams(location.search);
if (!token) {
  showSignIn(config, { role: "ops", sub: "ops-1", why: "Replay is for ops and drivers." });
} else if (!["ops", "driver"].includes(claims(token).role)) {
  showError("Not allowed", "Replay needs an ops token (or a driver's own token).");
} else start();

function localInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

function start() {
  const who = claims(token);
  const now = Date.now();
  const from = Number(params.get("from") ?? now - 3600_000);
  const to = Number(params.get("to") ?? now);
  // Constant markup only; the inputs' values are set below.
  document.getElementById("app").innerHTML = `
    <header class="bar"><div><h1>Replay</h1>
      <p class="muted small">A driver's stored track, page by page</p></div></header>
    <form id="query" class="card controls">
      <input id="driver" placeholder="driver id" required>
      <label>from <input id="from" type="datetime-local" step="1"></label>
      <label>to <input id="to" type="datetime-local" step="1"></label>
      <button type="submit" class="primary">Load</button>
      <span id="progress" class="muted"></span>
    </form>
    <div id="map" class="map"></div>
    <section class="card controls">
      <button id="play" type="button" disabled>Play</button>
      <input id="scrub" type="range" min="0" max="0" value="0" step="1" disabled>
      <select id="speed">
        <option value="1">1×</option><option value="10" selected>10×</option>
        <option value="60">60×</option><option value="600">600×</option>
      </select>
      <span id="at" class="muted">–</span>
    </section>`;
  document.getElementById("driver").value = params.get("driver") ??
    (who.role === "driver" ? who.sub : "");
  document.getElementById("from").value = localInput(from);
  document.getElementById("to").value = localInput(to);
  const map = makeMap(document.getElementById("map"), config);
  let points = [];
  let line;
  let marker;
  let t = 0; // playback time, epoch ms
  let playing = false;
  let last = 0;
  let loadId = 0;

  const scrub = document.getElementById("scrub");
  const play = document.getElementById("play");

  const positionAt = (time) => {
    let lo = 0;
    let hi = points.length - 1;
    if (time <= points[0].ts) return points[0];
    if (time >= points[hi].ts) return points[hi];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (points[mid].ts <= time) lo = mid;
      else hi = mid;
    }
    const a = points[lo];
    const b = points[hi];
    const f = (time - a.ts) / (b.ts - a.ts);
    return { ...a, lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
  };
  const show = () => {
    if (points.length === 0) return;
    const p = positionAt(t);
    if (!marker) marker = pin([p.lat, p.lon], "driver", "▲").addTo(map);
    else marker.setLatLng([p.lat, p.lon]);
    scrub.value = String(t - points[0].ts);
    document.getElementById("at").textContent = `${clock(t)}${
      p.speed === undefined || p.speed === null ? "" : ` · ${(p.speed * 3.6).toFixed(0)} km/h`
    }`;
  };
  const frame = (stamp) => {
    if (!playing) return;
    const dt = last ? stamp - last : 0;
    last = stamp;
    t += dt * Number(document.getElementById("speed").value);
    if (t >= points.at(-1).ts) {
      t = points.at(-1).ts;
      playing = false;
      play.textContent = "Play";
    }
    show();
    if (playing) requestAnimationFrame(frame);
  };
  play.addEventListener("click", () => {
    if (points.length === 0) return;
    playing = !playing;
    play.textContent = playing ? "Pause" : "Play";
    if (playing) {
      if (t >= points.at(-1).ts) t = points[0].ts;
      last = 0;
      requestAnimationFrame(frame);
    }
  });
  scrub.addEventListener("input", () => {
    t = points[0].ts + Number(scrub.value);
    show();
  });

  const load = async () => {
    const id = ++loadId;
    const driver = document.getElementById("driver").value.trim();
    const fromMs = new Date(document.getElementById("from").value).getTime();
    const toMs = new Date(document.getElementById("to").value).getTime();
    const progress = document.getElementById("progress");
    points = [];
    line?.remove();
    marker?.remove();
    marker = undefined;
    playing = false;
    play.textContent = "Play";
    line = L.polyline([], { color: "#2563eb", weight: 3 }).addTo(map);
    let after;
    let page = 0;
    for (;;) {
      const q = new URLSearchParams({
        from: String(fromMs),
        to: String(toMs),
        limit: String(PAGE),
      });
      if (after !== undefined) q.set("after", String(after));
      const res = await api(`/drivers/${encodeURIComponent(driver)}/history?${q}`, token);
      if (id !== loadId) return; // a newer load started
      if (res.status !== 200) {
        progress.textContent = errorText(res.body);
        progress.dataset.state = "error";
        return;
      }
      page++;
      points.push(...res.body.points);
      for (const p of res.body.points) line.addLatLng([p.lat, p.lon]);
      progress.textContent = `${points.length} points · ${page} page${page > 1 ? "s" : ""}`;
      if (res.body.next === null) break;
      after = res.body.next;
    }
    if (points.length === 0) {
      progress.textContent = "no points in this range";
      progress.dataset.state = "done";
      return;
    }
    map.fitBounds(line.getBounds(), { padding: [30, 30], animate: false });
    scrub.max = String(points.at(-1).ts - points[0].ts);
    scrub.disabled = false;
    play.disabled = false;
    t = points[0].ts;
    show();
    progress.dataset.state = "done";
  };
  document.getElementById("query").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  if (params.get("driver")) load();
}
