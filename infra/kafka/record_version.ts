import { Buffer } from "node:buffer";
import {
  RECORD_SCHEMA_VERSIONS,
  SCHEMA_VERSION_HEADER,
  schemaVersionProblem,
} from "../../domain/record_schema_version.ts";

/** A record's headers as the client hands them over: `[key, value]` pairs of bytes. */
export type HeaderEntries = Iterable<
  readonly [Buffer | null | undefined, Buffer | null | undefined]
>;

const _KEY = Buffer.from(SCHEMA_VERSION_HEADER);
const _decoder = new TextDecoder();

/**
 * The schema-version header of one topic, in bytes made once: `headers` goes on every record a
 * writer sends (the same `Map` each time), and {@linkcode RecordVersion.problem} checks a record
 * read with a byte comparison, parsing the header only when it is not the version written now.
 */
export class RecordVersion {
  /** The version written now, and the newest read. */
  readonly version: number;
  /** `schema-version: <version>`, to hand the producer with each record; never change it. */
  readonly headers: Map<Buffer, Buffer>;
  #value: Buffer;

  constructor(version: number) {
    if (!Number.isSafeInteger(version) || version < 1) throw new RangeError("version must be ≥ 1");
    this.version = version;
    this.#value = Buffer.from(String(version));
    this.headers = new Map([[_KEY, this.#value]]);
  }

  /**
   * Why a record with `headers` must not be decoded by this reader (its version is newer, or not
   * a version), or `undefined` when it may: no header (version 1), or a version up to this one.
   */
  problem(headers: HeaderEntries | undefined): string | undefined {
    if (headers === undefined) return undefined;
    for (const [key, value] of headers) {
      if (!key || !_same(key, _KEY)) continue;
      if (value && _same(value, this.#value)) return undefined;
      return schemaVersionProblem(value ? _decoder.decode(value) : "", this.version);
    }
    return undefined;
  }
}

/** Whether `a` and `b` hold the same bytes (headers are a few bytes: a loop beats a call out). */
function _same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The schema version of `driver-locations` records. */
export const LOCATION_RECORD_VERSION: RecordVersion = new RecordVersion(
  RECORD_SCHEMA_VERSIONS.locations,
);
/** The schema version of `order-events` records. */
export const ORDER_EVENT_VERSION: RecordVersion = new RecordVersion(
  RECORD_SCHEMA_VERSIONS.orderEvents,
);
/** The schema version of `zone-events` records. */
export const ZONE_EVENT_VERSION: RecordVersion = new RecordVersion(
  RECORD_SCHEMA_VERSIONS.zoneEvents,
);
