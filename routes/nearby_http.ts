import { Hono } from "hono";
import { z } from "zod";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { permissions } from "./permissions.ts";
import { DRIVER_STATES } from "../actors/fleet_index.ts";
import {
  type NearbyDriver,
  nearbyDriverSchema,
  type NearbyQuery,
} from "../actors/nearby_search.ts";

/** Bounds and defaults of the nearby query. */
export const NEARBY_LIMITS = {
  /** Largest `radius_m`, metres. */
  maxRadiusM: 50_000,
  /** `radius_m` when left out, metres. */
  defaultRadiusM: 3_000,
  /** Largest `limit`. */
  maxLimit: 100,
  /** `limit` when left out. */
  defaultLimit: 10,
} as const;

const { maxRadiusM, defaultRadiusM, maxLimit, defaultLimit } = NEARBY_LIMITS;
const _DECIMAL = /^-?\d{1,3}(\.\d{1,12})?$/;

function _degrees(name: string, max: number) {
  const rule = `${name} must be decimal degrees in -${max}..${max}`;
  return z.string({ error: `${name} is required: ${rule}` }).regex(_DECIMAL, rule)
    .refine((v) => Math.abs(Number(v)) <= max, rule);
}

function _bounded(name: string, max: number, pattern: RegExp) {
  const rule = `${name} must be a number in 1..${max}`;
  return z.string().regex(pattern, rule).refine((v) => Number(v) >= 1 && Number(v) <= max, rule);
}

/** The query of `GET /drivers/nearby` as it arrives (strings); published in the OpenAPI document. */
export const nearbyQuerySchema = z.object({
  lat: _degrees("lat", 90).meta({ description: "Latitude of the point, degrees." }),
  lon: _degrees("lon", 180).meta({ description: "Longitude of the point, degrees." }),
  radius_m: _bounded("radius_m", maxRadiusM, /^\d{1,6}(\.\d{1,3})?$/).optional().meta({
    description: `Metres from the point, 1..${maxRadiusM} (default ${defaultRadiusM}).`,
  }),
  limit: _bounded("limit", maxLimit, /^\d{1,4}$/).optional().meta({
    description: `At most this many drivers, 1..${maxLimit} (default ${defaultLimit}).`,
  }),
  state: z.enum([...DRIVER_STATES, "any"], {
    error: `state must be one of ${[...DRIVER_STATES, "any"].join(", ")}`,
  }).optional().meta({
    description: "`idle` (free), `to_pickup` (assigned), `carrying` (picked up), or `any` " +
      "(default).",
  }),
});

/** The answer of `GET /drivers/nearby`. */
export const nearbyAnswerSchema = z.object({
  drivers: z.array(nearbyDriverSchema).meta({ description: "Nearest first." }),
  maxAgeMs: z.number().int().meta({
    description: "`NEARBY_MAX_AGE_MS`: drivers whose newest fix is older are left out.",
  }),
});

/** Reads and checks the query; 400 `invalid_query` naming the parameter. */
export function parseNearbyQuery(query: Record<string, string>): NearbyQuery {
  const checked = nearbyQuerySchema.safeParse(query);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw apiError(400, "invalid_query", issue.message, { field: String(issue.path[0]) });
  }
  const { lat, lon, radius_m, limit, state } = checked.data;
  return {
    lat: Number(lat),
    lon: Number(lon),
    radiusM: radius_m === undefined ? defaultRadiusM : Number(radius_m),
    limit: limit === undefined ? defaultLimit : Number(limit),
    state: state ?? "any",
  };
}

/** What `GET /drivers/nearby` needs. */
export interface NearbyHttpDeps {
  readonly secret: string;
  /** The search over this instance's index of every driver (the fleet feed's). */
  readonly nearby: (query: NearbyQuery) => Promise<NearbyDriver[]>;
  /** `NEARBY_MAX_AGE_MS`, echoed in the answer. */
  readonly maxAgeMs: number;
}

/**
 * `GET /drivers/nearby?lat=&lon=&radius_m=&limit=&state=`, for ops and dispatchers: the drivers
 * within the radius, nearest first. Mounted before the `/drivers/:id/...` routes.
 */
export function nearbyHttpRoute(deps: NearbyHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get("/drivers/nearby", authenticate(deps.secret, ROLES, REST_AUTH), async (c) => {
    permissions.findDrivers(c.get("principal"));
    const drivers = await deps.nearby(parseNearbyQuery(c.req.query()));
    const answer: z.infer<typeof nearbyAnswerSchema> = { drivers, maxAgeMs: deps.maxAgeMs };
    return c.json(answer);
  });
  return app;
}
