/**
 * The Kafka header that carries the schema version of a record's value, on every record of
 * `driver-locations`, `order-events` and `zone-events`: ASCII digits, `schema-version: 1`.
 */
export const SCHEMA_VERSION_HEADER = "schema-version";

/**
 * The schema version of each topic's records: what this service writes, and the newest a reader
 * of this service knows. A record without the header is version 1 (written before the header
 * existed). A version goes up only for a change an older reader would misread (a field removed,
 * renamed, retyped or given another meaning); an optional field added keeps it, as readers ignore
 * fields they do not know. A reader dead-letters (or skips and counts) a record of a newer version,
 * and never decodes it.
 */
export const RECORD_SCHEMA_VERSIONS = {
  /** The value of a `driver-locations` record: `locationRecordSchema`. */
  locations: 1,
  /** The value of an `order-events` record: `orderEventSchema`. */
  orderEvents: 1,
  /** The value of a `zone-events` record: `zoneEventSchema`. */
  zoneEvents: 1,
} as const;

/** The version of a record that has no {@linkcode SCHEMA_VERSION_HEADER}. */
export const UNVERSIONED_RECORD_VERSION = 1;

/**
 * Why a reader that knows versions up to `known` must not decode a record whose header says
 * `header` (`undefined`: no header, version 1), or `undefined` when it may. A version is a
 * positive decimal integer without sign, leading zeros or spaces.
 *
 * @example
 * ```ts
 * schemaVersionProblem("1", 1); // undefined
 * schemaVersionProblem("2", 1); // "schema-version 2 is newer than 1, the newest this reader knows"
 * ```
 */
export function schemaVersionProblem(
  header: string | undefined,
  known: number,
): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(header)) {
    return `${SCHEMA_VERSION_HEADER} ${JSON.stringify(header.slice(0, 40))} is not a version`;
  }
  const version = Number(header);
  if (version > known) {
    return `${SCHEMA_VERSION_HEADER} ${version} is newer than ${known}, the newest this reader knows`;
  }
  return undefined;
}
