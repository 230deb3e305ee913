import { z } from "zod";

/** What a driver did with a zone. */
export const ZONE_EVENT_KINDS = ["enter", "exit", "dwell"] as const;

/** One of {@linkcode ZONE_EVENT_KINDS}. */
export type ZoneEventKind = typeof ZONE_EVENT_KINDS[number];

/** One record of the zone-events topic (key = zone id), also the fleet socket's `zone` frame. */
export const zoneEventSchema = z.object({
  id: z.string().meta({
    description: "`<zoneId>:<driverId>:<kind>:<episode>`: the same everywhere, so receivers " +
      "can drop repeats.",
  }),
  zoneId: z.string(),
  zoneName: z.string(),
  restaurantId: z.string().nullable(),
  driverId: z.string(),
  kind: z.enum(ZONE_EVENT_KINDS),
  episode: z.number().int().meta({
    description: "The driver's visit to this zone, counted from 1: `enter`, `dwell` and `exit` " +
      "of one visit share it.",
  }),
  ts: z.number().int().meta({ description: "Fix time of the position that decided it, epoch ms." }),
  lat: z.number(),
  lon: z.number(),
  createdAt: z.number().int().meta({ description: "When it was stored, epoch ms." }),
});

/** One enter, exit or dwell of a driver and a zone, stored and published once. */
export type ZoneEvent = Readonly<z.infer<typeof zoneEventSchema>>;

/** The id of a zone event: one per zone, driver, kind and visit. */
export function zoneEventId(
  zoneId: string,
  driverId: string,
  kind: ZoneEventKind,
  episode: number,
): string {
  return `${zoneId}:${driverId}:${kind}:${episode}`;
}

/** Serializes an event for Kafka. */
export function encodeZoneEvent(event: ZoneEvent): string {
  return JSON.stringify(event);
}

/** Parses and validates an event read from Kafka; throws on anything malformed. */
export function decodeZoneEvent(text: string): ZoneEvent {
  return zoneEventSchema.parse(JSON.parse(text));
}
