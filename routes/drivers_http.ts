import { Hono } from "hono";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import { parseTimeParam } from "./time_param.ts";
import { HISTORY_MAX_LIMIT, type HistoryStore } from "../infra/postgres/history_store.ts";
import type { LocationRecord } from "../infra/kafka/location_record.ts";

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
    return c.json({ driverId: id, points: rows, next });
  });
  return app;
}

/**
 * `from` and `to` (epoch ms or ISO 8601), `after` (the `next` cursor, epoch ms) and `limit`
 * (1..{@linkcode HISTORY_MAX_LIMIT}, default 1000). Throws 400 naming the parameter.
 */
export function parseHistoryQuery(query: Record<string, string>): HistoryQuery {
  const out: HistoryQuery = { limit: 1000 };
  if (query.from !== undefined) out.from = parseTimeParam("from", query.from);
  if (query.to !== undefined) out.to = parseTimeParam("to", query.to);
  if (query.after !== undefined) {
    if (!/^\d{1,16}$/.test(query.after)) {
      throw apiError(400, "invalid_query", "after must be the epoch-ms cursor from next", {
        field: "after",
      });
    }
    out.after = Number(query.after);
  }
  if (query.limit !== undefined) {
    const limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
      throw apiError(400, "invalid_query", `limit must be a whole number 1..${HISTORY_MAX_LIMIT}`, {
        field: "limit",
      });
    }
    out.limit = limit;
  }
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) {
    throw apiError(400, "invalid_query", "from must not be after to", { field: "from" });
  }
  return out;
}
