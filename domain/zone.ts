import { z } from "zod";

/** A circle zone: a centre and a radius in metres. */
export const circleShapeSchema = z.object({
  type: z.literal("Circle"),
  lat: z.number(),
  lon: z.number(),
  radiusMeters: z.number(),
});

/** A polygon zone: a GeoJSON Polygon, `[lon, lat]` positions, outer ring first, then holes. */
export const polygonShapeSchema = z.object({
  type: z.literal("Polygon"),
  coordinates: z.array(z.array(z.array(z.number()))),
});

/** The area of a zone, as stored and answered: a GeoJSON Polygon or a circle. */
export const zoneShapeSchema = z.discriminatedUnion("type", [
  polygonShapeSchema,
  circleShapeSchema,
]);

/** The area of a zone. */
export type ZoneShape = Readonly<z.infer<typeof zoneShapeSchema>>;

/** A zone as stored, listed and answered (`GET /zones/:id`). */
export const zoneSchema = z.object({
  id: z.string(),
  name: z.string(),
  restaurantId: z.string().nullable().meta({
    description: "The restaurant this zone is the pickup area of: its assigned orders get " +
      "`driver_at_restaurant` when their driver dwells inside.",
  }),
  shape: zoneShapeSchema,
  dwellSeconds: z.number().int().meta({
    description: "Seconds inside after which `dwell` is published once per visit.",
  }),
  createdBy: z.string().meta({ description: "`role:sub` of who made it." }),
  createdAt: z.number().int().meta({ description: "Epoch ms." }),
});

/** A zone as stored, listed and answered. */
export type Zone = Readonly<z.infer<typeof zoneSchema>>;

/** What is needed to make a zone: everything but the id and the creation stamp. */
export type NewZone = Omit<Zone, "id" | "createdAt">;
