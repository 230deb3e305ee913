import { z } from "zod";
import type { RetentionNote } from "../domain/history_retention.ts";
import type { LocationRecord } from "../domain/location_record.ts";

/** The retention note of a history answer (`domain/history_retention.ts`). */
export const retentionNoteSchema = z.object({
  days: z.number().int().meta({ description: "`HISTORY_RETENTION_DAYS`." }),
  oldest: z.string().meta({ description: "The oldest fix time still readable, ISO 8601." }),
}).meta({
  description: "Present when the requested range reaches before the retention window: fixes " +
    "older than `oldest` are not read (a range entirely older answers with no points).",
});

/** The answer of `?format=geojson`: a GeoJSON (RFC 7946) Feature. */
export const historyFeatureSchema = z.object({
  type: z.literal("Feature"),
  geometry: z.object({
    type: z.literal("LineString"),
    coordinates: z.array(z.tuple([z.number(), z.number()])),
  }).nullable().meta({
    description: "`[lon, lat]` of each fix, oldest first; `null` with fewer than two fixes.",
  }),
  properties: z.object({
    driverId: z.string().nullable(),
    orderId: z.string().optional(),
    times: z.array(z.number().int()).meta({ description: "Fix times, epoch ms, one per fix." }),
    next: z.number().int().nullable().meta({ description: "The next page's `after`." }),
    retention: retentionNoteSchema.optional(),
  }),
});

/** What a history answer says besides its points. */
export interface HistoryMeta {
  readonly driverId: string | null;
  readonly orderId?: string;
  readonly next: number | null;
  readonly retention?: RetentionNote | undefined;
}

/** One page of fixes as a GeoJSON Feature: a LineString, the fix times in `properties.times`. */
export function historyFeature(
  points: readonly LocationRecord[],
  meta: HistoryMeta,
): z.infer<typeof historyFeatureSchema> {
  const { driverId, orderId, next, retention } = meta;
  return {
    type: "Feature",
    geometry: points.length < 2 ? null : {
      type: "LineString",
      coordinates: points.map((p) => [p.lon, p.lat] as [number, number]),
    },
    properties: {
      driverId,
      ...(orderId === undefined ? {} : { orderId }),
      times: points.map((p) => p.ts),
      next,
      ...(retention === undefined ? {} : { retention }),
    },
  };
}

/**
 * One page of fixes as a GPX 1.1 document: one track, one segment, a `<trkpt lat lon>` with
 * its `<time>` per fix, coordinates as plain decimals (`xsd:decimal`: `0.0000001`, not `1e-7`).
 * The retention note, when there is one, is the metadata's `<desc>`.
 */
export function historyGpx(points: readonly LocationRecord[], meta: HistoryMeta): string {
  const name = meta.orderId === undefined
    ? `driver ${meta.driverId}`
    : `order ${meta.orderId} (driver ${meta.driverId ?? "none"})`;
  const desc = meta.retention === undefined ? "" : `<desc>${
    _xml(
      `Fixes older than ${meta.retention.oldest} are not kept ` +
        `(retention ${meta.retention.days} days).`,
    )
  }</desc>`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="driver-tracking" xmlns="http://www.topografix.com/GPX/1/1">',
    `<metadata><name>${_xml(name)}</name>${desc}</metadata>`,
    `<trk><name>${_xml(name)}</name><trkseg>`,
    ...points.map((p) =>
      `<trkpt lat="${_decimal(p.lat)}" lon="${_decimal(p.lon)}"><time>${
        new Date(p.ts).toISOString()
      }</time></trkpt>`
    ),
    "</trkseg></trk>",
    "</gpx>",
    "",
  ];
  return lines.join("\n");
}

/**
 * A finite number as an `xsd:decimal`, the shortest digits JavaScript gives it but never in
 * exponent form: `1e-7` is `0.0000001`, `-2.5e-7` is `-0.00000025`.
 */
function _decimal(x: number): string {
  const text = String(x);
  const e = text.indexOf("e");
  if (e < 0) return text;
  const sign = text.startsWith("-") ? "-" : "";
  const mantissa = text.slice(sign.length, e);
  const point = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  // Where the decimal point goes in `digits` once the exponent is applied.
  const at = (point < 0 ? mantissa.length : point) + Number(text.slice(e + 1));
  if (at <= 0) return `${sign}0.${"0".repeat(-at)}${digits}`;
  if (at >= digits.length) return `${sign}${digits}${"0".repeat(at - digits.length)}`;
  return `${sign}${digits.slice(0, at)}.${digits.slice(at)}`;
}

const _ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

function _xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => _ENTITIES[c]!);
}
