// Parts the track and restaurant maps share: the pins' legend, a map that frames what matters
// until the user moves it, and a position's age as the server measured it.
/* global L */
import { el } from "./common.js";

/** The pins, the same on every page: label and CSS kind. */
export const PINS = {
  pickup: { kind: "pickup", label: "R" },
  dropoff: { kind: "dropoff", label: "⌂" },
  driver: { kind: "driver", label: "▲" },
};

/** A small legend under `map`'s box (never over the pins): one entry per `[pin, text]`. */
export function addLegend(map, rows) {
  map.getContainer().after(
    el(
      "div",
      { class: "map-legend small", id: "legend" },
      rows.map(([p, text]) =>
        el("span", {}, el("span", { class: `legend-pin legend-${p.kind}` }, p.label), text)
      ),
    ),
  );
}

/**
 * Keeps `points()` (pickup, drop-off and the driver once known) in view: fits them at once, and
 * again whenever the driver leaves the view. Once the user drags or zooms, it stops and shows a
 * "Recentre" button that fits them again and resumes following.
 */
export function frameMap(map, points) {
  let follow = true;
  let fitting = false;
  const button = el("button", { type: "button", id: "recentre", class: "recentre" }, "Recentre");
  const control = L.control({ position: "topright" });
  control.onAdd = () => {
    L.DomEvent.disableClickPropagation(button);
    return button;
  };
  control.addTo(map);
  const setFollow = (on) => {
    follow = on;
    button.hidden = on;
  };
  const fit = () => {
    fitting = true; // without animation Leaflet fires zoomstart now: ours, not the user's
    try {
      map.fitBounds(L.latLngBounds(points()), { padding: [40, 40], maxZoom: 16, animate: false });
    } finally {
      fitting = false;
    }
  };
  map.on("dragstart", () => setFollow(false));
  map.on("zoomstart", () => fitting || setFollow(false));
  button.addEventListener("click", () => {
    setFollow(true);
    fit();
  });
  setFollow(true);
  fit();
  return {
    fit,
    /** The driver is at `latlng`: refits while following, when it is not well inside the view. */
    driverAt(latlng) {
      if (follow && !map.getBounds().pad(-0.1).contains(latlng)) fit();
    },
  };
}

/**
 * A position's age: the server's `ageMs` at receipt plus the time elapsed here since (a monotonic
 * clock), so neither the phone's nor this browser's wall clock matters.
 */
export function fixAge() {
  let base;
  let at = 0;
  return {
    set(ageMs) {
      if (typeof ageMs !== "number") return;
      base = ageMs;
      at = performance.now();
    },
    /** Milliseconds, or `undefined` before any position. */
    ms: () => base === undefined ? undefined : base + (performance.now() - at),
  };
}

/** "position 12 s old", "position 2 min old". */
export function ageText(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `position ${s} s old` : `position ${Math.floor(s / 60)} min old`;
}
