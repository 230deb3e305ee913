import type { Context } from "hono";
import { historyFeature, historyGpx, type HistoryMeta } from "./history_formats.ts";
import type { HistoryFormat, HistoryQuery } from "./history_query.ts";
import { type RetentionNote, withinRetention } from "../domain/history_retention.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { HistoryStore } from "../domain/history_store.ts";

/** One page of a driver's fixes, oldest first, as the history routes answer it. */
export interface HistoryPage {
  readonly points: LocationRecord[];
  /** The `after` of the next page; `null` on the last. */
  readonly next: number | null;
  readonly retention?: RetentionNote;
}

/** The retention window: `HISTORY_RETENTION_DAYS` and the clock (epoch ms). */
export interface Retention {
  readonly days: number;
  readonly now: () => number;
}

/**
 * Reads one page of `driverId`'s fixes within the retention window: the range is cut to the
 * window, and a range entirely older answers with no points, without asking the store.
 */
export async function readHistoryPage(
  store: Pick<HistoryStore, "history">,
  driverId: string,
  query: HistoryQuery,
  retention: Retention,
): Promise<HistoryPage> {
  const cut = withinRetention(query, retention.days, retention.now());
  const note = cut.note === undefined ? {} : { retention: cut.note };
  if (cut.empty) return { points: [], next: null, ...note };
  const { to, after, limit } = query;
  const points = await store.history(driverId, {
    from: cut.from,
    ...(to === undefined ? {} : { to }),
    ...(after === undefined ? {} : { after }),
    limit,
  });
  const next = points.length === limit ? points.at(-1)!.ts : null;
  return { points, next, ...note };
}

/** Header carrying a retention note on every format: `days=30, oldest=<ISO>`. */
export const RETENTION_HEADER = "X-History-Retention";

/**
 * Answers a history page in `format`: JSON `{...ids, points, next, retention?}`, a GeoJSON
 * Feature (`application/geo+json`) or GPX 1.1 (`application/gpx+xml`). With a next page, a
 * `Link: <...&after=next>; rel="next"` header; with a retention note, {@linkcode RETENTION_HEADER}.
 */
export function historyAnswer(
  c: Context,
  page: HistoryPage,
  format: HistoryFormat,
  ids: { driverId: string | null; orderId?: string },
): Response {
  const headers = new Headers(historyHeaders(page.retention));
  if (page.next !== null) {
    const url = new URL(c.req.url);
    url.searchParams.set("after", String(page.next));
    headers.set("Link", `<${url.pathname}${url.search}>; rel="next"`);
  }
  const meta: HistoryMeta = { ...ids, next: page.next, retention: page.retention };
  if (format === "geojson") {
    headers.set("Content-Type", "application/geo+json");
    return new Response(JSON.stringify(historyFeature(page.points, meta)), { headers });
  }
  if (format === "gpx") {
    headers.set("Content-Type", "application/gpx+xml; charset=utf-8");
    return new Response(historyGpx(page.points, meta), { headers });
  }
  return Response.json({
    ...ids,
    points: page.points,
    next: page.next,
    ...(page.retention === undefined ? {} : { retention: page.retention }),
  }, { headers });
}

/** The {@linkcode RETENTION_HEADER} of a note, or no header. */
export function historyHeaders(note: RetentionNote | undefined): Record<string, string> {
  return note === undefined
    ? {}
    : { [RETENTION_HEADER]: `days=${note.days}, oldest=${note.oldest}` };
}
