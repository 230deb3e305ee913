import { z } from "zod";
import { idSchema } from "../domain/ids.ts";
import { circleShapeSchema, polygonShapeSchema, type ZoneShape } from "../domain/zone.ts";
import { shapeProblem, ZONE_SHAPE_LIMITS } from "../domain/zone_shape_rules.ts";

const L = ZONE_SHAPE_LIMITS;

/** Longest zone name, characters. */
export const ZONE_NAME_MAX_CHARS = 200;

/** The default dwell time, seconds, when a zone is made without one. */
export const DEFAULT_DWELL_SECONDS = 60;

/** Body of `POST /zones`: a name, one of `polygon` or `circle`, optionally a restaurant and a dwell. */
export const newZoneBodySchema = z.object({
  name: z.string().trim().min(1, "name must not be empty").max(ZONE_NAME_MAX_CHARS)
    .refine((v) => !/\p{Cc}/u.test(v), "name must not contain control characters"),
  restaurantId: idSchema.optional().meta({
    description: "A restaurant some order names; its assigned orders get `driver_at_restaurant` " +
      "when their driver dwells inside.",
  }),
  dwellSeconds: z.number().int().min(0).max(86_400).default(DEFAULT_DWELL_SECONDS).meta({
    description: `Seconds inside before \`dwell\`, 0..86400 (default ${DEFAULT_DWELL_SECONDS}).`,
  }),
  polygon: polygonShapeSchema.optional().meta({
    description: "A GeoJSON Polygon, `[lon, lat]` positions, each ring closed, at least 4 " +
      `positions, not crossing itself; at most ${L.maxRings} rings, ${L.maxPositions} positions ` +
      `and ${L.maxExtentM} m across.`,
  }),
  circle: circleShapeSchema.omit({ type: true }).optional().meta({
    description: `A centre and a radius of ${L.minRadiusM}..${L.maxRadiusM} m.`,
  }),
}).superRefine((body, ctx) => {
  if (body.polygon === undefined && body.circle === undefined) {
    ctx.addIssue({ code: "custom", path: [], message: "must have a polygon or a circle" });
    return;
  }
  if (body.polygon !== undefined && body.circle !== undefined) {
    const message = "must not come with a polygon: give one of them";
    ctx.addIssue({ code: "custom", path: ["circle"], message });
    return;
  }
  const [field, shape] = body.polygon
    ? ["polygon", body.polygon] as const
    : ["circle", { type: "Circle" as const, ...body.circle! }] as const;
  const problem = shapeProblem(shape);
  if (problem) {
    ctx.addIssue({ code: "custom", path: [field, ...problem.path], message: problem.message });
  }
});

/** A `POST /zones` body, checked. */
export type NewZoneBody = z.infer<typeof newZoneBodySchema>;

/** The shape a checked body names. */
export function bodyShape(body: NewZoneBody): ZoneShape {
  return body.polygon ?? { type: "Circle", ...body.circle! };
}
