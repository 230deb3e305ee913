import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { authenticate, type AuthEnv, type Principal } from "./auth.ts";
import { HISTORY_MAX_LIMIT, type HistoryStore } from "../infra/postgres/history_store.ts";
import type { LocationRecord } from "../infra/kafka/location_record.ts";

/** What the driver HTTP routes need. */
export interface DriversHttpDeps {
  readonly secret: string;
  readonly store: Pick<HistoryStore, "history">;
  /** The newest accepted fix known: live on this instance, else stored. */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
}

const historyQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  after: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(HISTORY_MAX_LIMIT).default(1000),
});

/** `GET /drivers/:id/location` and `GET /drivers/:id/history`, for the driver itself and ops. */
export function driversHttpRoute(deps: DriversHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("/drivers/*", authenticate(deps.secret));

  app.get("/drivers/:id/location", async (c) => {
    const id = c.req.param("id");
    _allowed(c.get("principal"), id);
    const record = await deps.latestPosition(id);
    if (!record) throw new HTTPException(404, { message: `no location known for driver ${id}` });
    return c.json(record);
  });

  app.get("/drivers/:id/history", async (c) => {
    const id = c.req.param("id");
    _allowed(c.get("principal"), id);
    const parsed = historyQuery.safeParse(c.req.query());
    if (!parsed.success) throw new HTTPException(400, { message: z.prettifyError(parsed.error) });
    const { from, to, after, limit } = parsed.data;
    const rows = await deps.store.history(id, {
      limit,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(after === undefined ? {} : { after }),
    });
    const next = rows.length === limit ? rows.at(-1)!.ts : null;
    return c.json({ driverId: id, points: rows, next });
  });
  return app;
}

function _allowed(principal: Principal, driverId: string): void {
  if (principal.role === "ops") return;
  if (principal.role === "driver" && principal.sub === driverId) return;
  throw new HTTPException(403, { message: "you may only read your own location" });
}
