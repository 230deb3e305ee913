import { Hono } from "hono";
import { z } from "zod";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import {
  historyAnswer,
  historyHeaders,
  readHistoryPage,
  type Retention,
} from "./history_answer.ts";
import { retentionNoteSchema } from "./history_formats.ts";
import { parseHistoryOutput, parseHistoryQuery } from "./history_query.ts";
import { ndjsonStream } from "./ndjson_stream.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import { StreamBudget } from "./stream_budget.ts";
import { withinRetention } from "../domain/history_retention.ts";
import type { HistoryStore } from "../domain/history_store.ts";
import type { HistoryRange } from "../domain/history_store.ts";
import { type LocationRecord, locationRecordSchema } from "../domain/location_record.ts";

export { type HistoryQuery, historyQuerySchema, parseHistoryQuery } from "./history_query.ts";

/** What the driver HTTP routes need. */
export interface DriversHttpDeps {
  readonly secret: string;
  readonly store: Pick<HistoryStore, "history">;
  /**
   * Every fix of a range, oldest first, in batches pulled one at a time (`history_cursor.ts`):
   * what `?stream=ndjson` sends.
   */
  readonly cursor: (driverId: string, range: HistoryRange) => AsyncIterator<LocationRecord[]>;
  /**
   * How many streams may be open (per principal, in all) and how long one may stall or last.
   * @default {a budget with the defaults of `STREAM_LIMITS`}
   */
  readonly streams?: StreamBudget;
  /** The newest accepted fix known: live on this instance, else stored. */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  /** `HISTORY_RETENTION_DAYS`: older fixes are not read. @default {30} */
  readonly retentionDays?: number;
  /** The clock, epoch ms. @default {Date.now} */
  readonly now?: () => number;
}

/** `GET /drivers/:id/location` and `GET /drivers/:id/history`, for the driver itself and ops. */
export function driversHttpRoute(deps: DriversHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const retention: Retention = { days: deps.retentionDays ?? 30, now: deps.now ?? Date.now };
  const streams = deps.streams ?? new StreamBudget();
  app.use("/drivers/*", pathIds(), authenticate(deps.secret, ROLES, REST_AUTH));

  app.get("/drivers/:id/location", async (c) => {
    const id = c.req.param("id");
    permissions.readDriver(c.get("principal"), id);
    const record = await deps.latestPosition(id);
    if (!record) throw apiError(404, "location_not_found", `no location known for driver ${id}`);
    return c.json(record);
  });

  app.get("/drivers/:id/history", async (c) => {
    const id = c.req.param("id");
    permissions.readDriver(c.get("principal"), id);
    const { format, stream } = parseHistoryOutput(c.req.query());
    const query = parseHistoryQuery(c.req.query());
    if (stream) {
      const open = (range: HistoryRange) =>
        streams.stream(c.get("principal"), () => deps.cursor(id, range), ndjsonStream);
      return _ndjson(open, query, retention);
    }
    const page = await readHistoryPage(deps.store, id, query, retention);
    return historyAnswer(c, page, format, { driverId: id });
  });
  return app;
}

/**
 * Every fix of the range as NDJSON, from a database cursor (`open`, which admits the stream in
 * the budget or throws 429). A range entirely older than the retention window is an empty body,
 * with no cursor; a retention note is in `X-History-Retention`.
 */
function _ndjson(
  open: (range: HistoryRange) => ReadableStream<Uint8Array>,
  query: ReturnType<typeof parseHistoryQuery>,
  retention: Retention,
): Response {
  const cut = withinRetention(query, retention.days, retention.now());
  const headers = { "Content-Type": "application/x-ndjson", ...historyHeaders(cut.note) };
  if (cut.empty) return new Response(null, { headers });
  const range: HistoryRange = { from: cut.from, to: query.to, after: query.after };
  return new Response(open(range), { headers });
}

/** The answer of `GET /drivers/:id/history`: one page of fixes, oldest first. */
export const historyPageSchema = z.object({
  driverId: z.string(),
  points: z.array(locationRecordSchema),
  next: z.number().int().nullable().meta({
    description: "Pass as `after` for the next page; `null` on the last page.",
  }),
  retention: retentionNoteSchema.optional(),
});
