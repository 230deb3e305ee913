import { z } from "zod";
import type { Fix } from "../domain/fix.ts";
import { phoneFix, phoneNumberSchema } from "./phone_fix.ts";
import { phoneTimestampSchema } from "./osmand_time.ts";

const _measurement = phoneNumberSchema.optional();

/** `location.coords` of a Transistorsoft-style location: speed in m/s, -1 when unknown. */
const _coordsSchema = z.object({
  latitude: phoneNumberSchema,
  longitude: phoneNumberSchema,
  speed: _measurement,
  heading: _measurement,
  accuracy: _measurement,
});

/**
 * One location of the Transistorsoft background-geolocation shape (Traccar Client 9): an ISO
 * `timestamp` and `coords`. A location without `coords` (an event such as a heartbeat) carries
 * no position, and gives no fix. `is_moving`, `odometer`, `event`, `battery`, `activity` and
 * `extras` are read past.
 */
const _locationSchema = z.object({
  timestamp: phoneTimestampSchema,
  coords: _coordsSchema.optional(),
});

/**
 * `{device_id, location}` as Traccar Client 9 posts it (`location` may also be an array of
 * them, as the library sends a batch), parsed to the device key and its fixes.
 */
export const transistorsoftSchema = z.object({
  device_id: z.union([z.string(), z.number().transform(String)]).optional(),
  location: z.union([_locationSchema, z.array(_locationSchema).min(1)]),
}).transform(({ device_id, location }) => {
  const fixes: Fix[] = [];
  for (const { timestamp, coords } of Array.isArray(location) ? location : [location]) {
    if (!coords) continue;
    fixes.push(phoneFix(coords.latitude, coords.longitude, timestamp, coords));
  }
  return { device_id, fixes };
});
