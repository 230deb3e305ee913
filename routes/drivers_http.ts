import { Hono } from "hono";
import { z } from "zod";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import { parseTimeParam } from "./time_param.ts";
import { HISTORY_MAX_LIMIT, type HistoryStore } from "../domain/history_store.ts";
import { type LocationRecord, locationRecordSchema } from "../domain/location_record.ts";

/** What the driver HTTP routes need. */
export interface DriversHttpDeps {
  readonly secret: string;
  readonly store: Pick<HistoryStore, "history">;
  /** The newest accepted fix known: live on this instance, else stored. */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
}

/** Query of `GET /drivers/:id/history`, parsed. */
export interface HistoryQuery {
  from?: number;
  to?: number;
  after?: number;
  limit: number;
}

/** `GET /drivers/:id/location` and `GET /drivers/:id/history`, for the driver itself and ops. */
export function driversHttpRoute(deps: DriversHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
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
    const { limit, ...range } = parseHistoryQuery(c.req.query());
    const rows = await deps.store.history(id, { limit, ...range });
    const next = rows.length === limit ? rows.at(-1)!.ts : null;
    const page: z.infer<typeof historyPageSchema> = { driverId: id, points: rows, next };
    return c.json(page);
  });
  return app;
}

const _TIME = "epoch milliseconds or ISO 8601 (`2026-11-29T13:00:00Z`), inclusive";

/**
 * The query of `GET /drivers/:id/history` as it arrives (strings), checked by
 * {@linkcode parseHistoryQuery} and published in the OpenAPI document.
 */
export const historyQuerySchema = z.object({
  from: z.string().optional().meta({ description: `Oldest fix time: ${_TIME}.` }),
  to: z.string().optional().meta({ description: `Newest fix time: ${_TIME}.` }),
  after: z.string().regex(/^\d{1,16}$/, "after must be the epoch-ms cursor from next").optional()
    .meta({ description: "The `next` of the previous page: fixes after this `ts`." }),
  limit: z.string()
    .regex(/^\d+$/, `limit must be a whole number 1..${HISTORY_MAX_LIMIT}`)
    .refine(
      (v) => Number(v) >= 1 && Number(v) <= HISTORY_MAX_LIMIT,
      `limit must be a whole number 1..${HISTORY_MAX_LIMIT}`,
    )
    .optional()
    .meta({ description: `Fixes per page, 1..${HISTORY_MAX_LIMIT} (default 1000).` }),
});

/** The answer of `GET /drivers/:id/history`: one page of fixes, oldest first. */
export const historyPageSchema = z.object({
  driverId: z.string(),
  points: z.array(locationRecordSchema),
  next: z.number().int().nullable().meta({
    description: "Pass as `after` for the next page; `null` on the last page.",
  }),
});

/**
 * `from` and `to` (epoch ms or ISO 8601), `after` (the `next` cursor, epoch ms) and `limit`
 * (1..{@linkcode HISTORY_MAX_LIMIT}, default 1000). Throws 400 naming the parameter.
 */
export function parseHistoryQuery(query: Record<string, string>): HistoryQuery {
  const checked = historyQuerySchema.safeParse(query);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw apiError(400, "invalid_query", issue.message, { field: String(issue.path[0]) });
  }
  const { from, to, after, limit } = checked.data;
  const out: HistoryQuery = { limit: limit === undefined ? 1000 : Number(limit) };
  if (from !== undefined) out.from = parseTimeParam("from", from);
  if (to !== undefined) out.to = parseTimeParam("to", to);
  if (after !== undefined) out.after = Number(after);
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) {
    throw apiError(400, "invalid_query", "from must not be after to", { field: "from" });
  }
  return out;
}
