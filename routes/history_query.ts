import { z } from "zod";
import { apiError } from "./api_error.ts";
import { MAX_TIME_MS, parseTimeParam } from "./time_param.ts";
import { HISTORY_MAX_LIMIT } from "../domain/history_store.ts";

/** Query of `GET /drivers/:id/history`, parsed. */
export interface HistoryQuery {
  from?: number;
  to?: number;
  after?: number;
  limit: number;
}

/** The answer formats of a history page: see `history_answer.ts`. */
export const HISTORY_FORMATS = ["json", "geojson", "gpx"] as const;

/** One of {@linkcode HISTORY_FORMATS}. */
export type HistoryFormat = typeof HISTORY_FORMATS[number];

/** How a history answer is sent: one page in `format`, or every fix as an NDJSON stream. */
export interface HistoryOutput {
  format: HistoryFormat;
  stream: boolean;
}

const _TIME = "epoch milliseconds or ISO 8601 (`2026-11-29T13:00:00Z`), inclusive";
const _LIMIT = `limit must be a whole number 1..${HISTORY_MAX_LIMIT}`;
const _FORMAT = `format must be one of ${HISTORY_FORMATS.join(", ")}`;
const _AFTER = "after must be the epoch-ms cursor from next";

/**
 * The query of `GET /drivers/:id/history` as it arrives (strings), checked by
 * {@linkcode parseHistoryQuery} and {@linkcode parseHistoryOutput} and published in the
 * OpenAPI document.
 */
export const historyQuerySchema = z.object({
  from: z.string().optional().meta({ description: `Oldest fix time: ${_TIME}.` }),
  to: z.string().optional().meta({ description: `Newest fix time: ${_TIME}.` }),
  // A cursor is a fix time: a safe integer no later than a Date holds (the SQL refuses others).
  after: z.string().regex(/^\d{1,16}$/, _AFTER).refine((v) => Number(v) <= MAX_TIME_MS, _AFTER)
    .optional().meta({ description: "The `next` of the previous page: fixes after this `ts`." }),
  limit: z.string()
    .regex(/^\d+$/, _LIMIT)
    .refine((v) => Number(v) >= 1 && Number(v) <= HISTORY_MAX_LIMIT, _LIMIT)
    .optional()
    .meta({
      description: `Fixes per page, 1..${HISTORY_MAX_LIMIT} (default 1000); not used by ` +
        "`stream=ndjson`.",
    }),
  format: z.enum(HISTORY_FORMATS, { error: _FORMAT }).optional().meta({
    description: "`json` (default): `{points, next}`; `geojson`: a Feature with a LineString " +
      "and the fix times in `properties.times`; `gpx`: a GPX 1.1 track. The next page's cursor " +
      'is also in the `Link` header (`rel="next"`).',
  }),
  stream: z.enum(["ndjson"], { error: "stream must be ndjson" }).optional().meta({
    description: "`ndjson`: every fix of the range, one JSON object a line, streamed from a " +
      "database cursor with no page limit (`limit` and `format` do not apply).",
  }),
});

/** The query of `GET /orders/:id/track`: a page of the order's track. */
export const trackQuerySchema = historyQuerySchema.pick({ after: true, limit: true, format: true });

/**
 * `from` and `to` (epoch ms or ISO 8601), `after` (the `next` cursor, epoch ms) and `limit`
 * (1..{@linkcode HISTORY_MAX_LIMIT}, default 1000). Throws 400 naming the parameter.
 */
export function parseHistoryQuery(query: Record<string, string>): HistoryQuery {
  const { from, to, after, limit } = _checked(historyQuerySchema, query);
  const out: HistoryQuery = { limit: limit === undefined ? 1000 : Number(limit) };
  if (from !== undefined) out.from = parseTimeParam("from", from);
  if (to !== undefined) out.to = parseTimeParam("to", to);
  if (after !== undefined) out.after = Number(after);
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) {
    throw apiError(400, "invalid_query", "from must not be after to", { field: "from" });
  }
  return out;
}

/** `format` (default `json`) and `stream`; a stream with a `format` other than json is 400. */
export function parseHistoryOutput(query: Record<string, string>): HistoryOutput {
  const { format = "json", stream } = _checked(historyQuerySchema, query);
  if (stream !== undefined && format !== "json") {
    throw apiError(400, "invalid_query", "stream=ndjson does not take a format", {
      field: "format",
    });
  }
  return { format, stream: stream !== undefined };
}

function _checked<S extends z.ZodType>(schema: S, query: Record<string, string>): z.infer<S> {
  const checked = schema.safeParse(query);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0]!;
  throw apiError(400, "invalid_query", issue.message, { field: String(issue.path[0]) });
}

/** The query of `GET /orders/:id/track`, parsed: `after`, `limit` (default 1000), `format`. */
export function parseTrackQuery(
  query: Record<string, string>,
): { after?: number; limit: number; format: HistoryFormat } {
  const { after, limit, format = "json" } = _checked(trackQuerySchema, query);
  return {
    ...(after === undefined ? {} : { after: Number(after) }),
    limit: limit === undefined ? 1000 : Number(limit),
    format,
  };
}
