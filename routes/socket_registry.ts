import type { Principal } from "./auth.ts";
import { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
import { CLOSE_CODES } from "../domain/close_codes.ts";

/** Options of {@linkcode SocketRegistry}. */
export interface SocketRegistryOptions {
  /** Sockets of this instance, every route and state (being opened, open, closing) counted. */
  readonly maxSockets: number;
  /** Sockets one principal (role and sub) may hold at once, its replaced ones included. */
  readonly maxPerPrincipal: number;
  /** The same for `ops` principals. @default maxPerPrincipal */
  readonly maxPerOps?: number | undefined;
  /** Frames per second and burst per principal, shared by all its sockets. */
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  /** Time source in milliseconds. @default performance.now() */
  readonly clock?: { now(): number } | undefined;
}

/** A refused socket: answer `status` with `{"error":{"code","message"}}` before the upgrade. */
export interface SocketRefusal {
  readonly ok: false;
  /** 429 when the principal is at its limit, 503 when the instance is. */
  readonly status: 429 | 503;
  readonly code: "too_many_sockets" | "server_at_capacity";
  readonly message: string;
}

/** One admitted socket's place; see {@linkcode SocketRegistry.admit}. */
export interface SocketLease {
  readonly ok: true;
  /** The principal's rate limiter, shared by all its sockets. */
  readonly limiter: RateLimiter;
  /** The socket opened; `close` closes it when a newer socket replaces it (even at once). */
  opened(close: (code: number, reason: string) => void): void;
  /** The socket closed or never opened: frees its place. Safe to call more than once. */
  release(): void;
}

interface _Entry {
  /** An array, not a Set: a principal holds one socket or a few (a Set costs ~150 bytes). */
  readonly leases: _Lease[];
  readonly limiter: RateLimiter;
}

class _Lease implements SocketLease {
  readonly ok = true;
  readonly limiter: RateLimiter;
  readonly #free: (lease: _Lease) => void;
  #close: ((code: number, reason: string) => void) | undefined;
  #replaced = false;
  #released = false;

  constructor(limiter: RateLimiter, free: (lease: _Lease) => void) {
    this.limiter = limiter;
    this.#free = free;
  }

  opened(close: (code: number, reason: string) => void): void {
    this.#close = close;
    if (this.#replaced) this.replace();
  }

  replace(): void {
    this.#replaced = true;
    this.#close?.(CLOSE_CODES.replaced, "replaced by a newer connection");
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#free(this);
  }
}

/**
 * Every socket of this instance, counted before the upgrade: at most `maxSockets` in all (503)
 * and `maxPerPrincipal` per principal (429), so one token cannot pile up sockets, each able to
 * make the server buffer a whole frame. Each principal has one rate limiter, shared by its
 * sockets and kept after the last one closes until it would be full again, so neither more
 * sockets nor reconnecting buys more frames. An `exclusive` socket (a driver's) replaces the
 * principal's older ones: they are closed with 4009.
 *
 * @example
 * ```ts
 * const admission = registry.admit(principal, { exclusive: true });
 * if (!admission.ok) return c.json({ error: { code: admission.code, message } }, admission.status);
 * // onOpen: admission.opened((code, reason) => ws.close(code, reason)); onClose: admission.release()
 * ```
 */
export class SocketRegistry {
  readonly #options: SocketRegistryOptions;
  readonly #clock: { now(): number };
  readonly #restMs: number;
  readonly #entries = new Map<string, _Entry>();
  /** Limiters of principals without sockets, oldest first, until they would be full again. */
  readonly #resting = new Map<string, { limiter: RateLimiter; until: number }>();
  #count = 0;

  /** Throws a `RangeError` for a limit below 1. */
  constructor(options: SocketRegistryOptions) {
    for (const name of ["maxSockets", "maxPerPrincipal", "maxPerOps"] as const) {
      const value = options[name];
      if (value !== undefined && !(value >= 1)) {
        throw new RangeError(`${name} must be at least 1, got ${value}`);
      }
    }
    this.#options = options;
    this.#clock = options.clock ?? { now: () => performance.now() };
    this.#restMs = (options.rate.burst / options.rate.perSec) * 1000;
  }

  /** Sockets counted now. */
  get size(): number {
    return this.#count;
  }

  /** Sockets counted now for one principal. */
  sizeOf(principal: Pick<Principal, "role" | "sub">): number {
    return this.#entries.get(_key(principal))?.leases.length ?? 0;
  }

  /** Admits a socket of `principal`, or says why not. */
  admit(
    principal: Pick<Principal, "role" | "sub">,
    options: { readonly exclusive?: boolean } = {},
  ): SocketLease | SocketRefusal {
    const now = this.#clock.now();
    this.#sweep(now);
    const key = _key(principal);
    const { maxSockets, maxPerPrincipal, maxPerOps } = this.#options;
    const max = principal.role === "ops" ? maxPerOps ?? maxPerPrincipal : maxPerPrincipal;
    let entry = this.#entries.get(key);
    if ((entry?.leases.length ?? 0) >= max) {
      return _refuse(429, "too_many_sockets", `at most ${max} sockets per ${principal.role}`);
    }
    if (this.#count >= maxSockets) {
      return _refuse(503, "server_at_capacity", "this instance holds all the sockets it can");
    }
    if (!entry) {
      const limiter = this.#resting.get(key)?.limiter ??
        new RateLimiter({ ...this.#options.rate, clock: this.#clock });
      this.#resting.delete(key);
      entry = { leases: [], limiter };
      this.#entries.set(key, entry);
    }
    const owner = entry;
    const lease = new _Lease(entry.limiter, (done) => this.#free(key, owner, done));
    if (options.exclusive) { for (const older of [...entry.leases]) older.replace(); }
    entry.leases.push(lease);
    this.#count += 1;
    return lease;
  }

  #free(key: string, entry: _Entry, lease: _Lease): void {
    const at = entry.leases.indexOf(lease);
    if (at < 0) return;
    entry.leases.splice(at, 1);
    this.#count -= 1;
    if (entry.leases.length > 0) return;
    const now = this.#clock.now();
    this.#sweep(now);
    this.#entries.delete(key);
    this.#resting.set(key, { limiter: entry.limiter, until: now + this.#restMs });
  }

  #sweep(now: number): void {
    for (const [key, { until }] of this.#resting) {
      if (until > now) return;
      this.#resting.delete(key);
    }
  }
}

function _key(principal: Pick<Principal, "role" | "sub">): string {
  return `${principal.role}:${principal.sub}`;
}

function _refuse(
  status: SocketRefusal["status"],
  code: SocketRefusal["code"],
  message: string,
): SocketRefusal {
  return { ok: false, status, code, message };
}
