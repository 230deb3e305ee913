import { hashDeviceKey } from "../domain/device_key.ts";

/** How device keys are cached (docs/phones.md). */
export const DEVICE_KEY_DEFAULTS = {
  /**
   * How long a look-up is trusted, ms: a revoked key still works on another instance for at
   * most this long (at once on the instance that revoked it).
   */
  cacheMs: 30_000,
  /** Keys held at most; the oldest look-up is dropped first. */
  maxEntries: 10_000,
} as const;

/** Options of {@linkcode DeviceKeys}. */
export interface DeviceKeysOptions {
  /** The driver of a key's hash, from the store. */
  readonly lookup: (keyHash: string) => Promise<string | undefined>;
  /** @default {DEVICE_KEY_DEFAULTS.cacheMs} */
  readonly cacheMs?: number | undefined;
  /** @default {DEVICE_KEY_DEFAULTS.maxEntries} */
  readonly maxEntries?: number | undefined;
  /** Milliseconds clock. @default {performance.now} */
  readonly now?: (() => number) | undefined;
}

/** A key's driver, `unknown` (no such key, or revoked), or `limited` (look-up refused). */
export type KeyAnswer =
  | { readonly kind: "driver"; readonly driverId: string }
  | { readonly kind: "unknown" }
  | { readonly kind: "limited" };

interface _Entry {
  readonly driverId: string | undefined;
  readonly until: number;
}

/**
 * Device keys to drivers, with a bounded in-memory cache of recent look-ups (found or not, by the
 * key's SHA-256, never the key), so a phone posting every few seconds does not reach the database
 * for each fix. A look-up that must reach the store first asks `admit` (the per-address limit).
 */
export class DeviceKeys {
  readonly #lookup: DeviceKeysOptions["lookup"];
  readonly #cacheMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, _Entry>();

  constructor(options: DeviceKeysOptions) {
    this.#lookup = options.lookup;
    this.#cacheMs = options.cacheMs ?? DEVICE_KEY_DEFAULTS.cacheMs;
    this.#max = options.maxEntries ?? DEVICE_KEY_DEFAULTS.maxEntries;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Keys cached now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The driver of `key`; `admit` is asked before a look-up that reaches the store. */
  async driverOf(key: string, admit: () => boolean = () => true): Promise<KeyAnswer> {
    const hash = hashDeviceKey(key);
    const now = this.#now();
    let entry = this.#entries.get(hash);
    if (!entry || entry.until <= now) {
      if (!admit()) return { kind: "limited" };
      entry = { driverId: await this.#lookup(hash), until: now + this.#cacheMs };
      this.#entries.delete(hash);
      this.#entries.set(hash, entry);
      while (this.#entries.size > this.#max) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
    }
    return entry.driverId === undefined
      ? { kind: "unknown" }
      : { kind: "driver", driverId: entry.driverId };
  }

  /** Drops every cached key of `driverId` (a device of it was revoked on this instance). */
  forgetDriver(driverId: string): void {
    for (const [hash, entry] of this.#entries) {
      if (entry.driverId === driverId) this.#entries.delete(hash);
    }
  }
}
