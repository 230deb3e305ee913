import type { Principal } from "./auth.ts";
import { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
import { closeOnExpiry } from "./token_expiry.ts";
import { MAX_FRAME_CHARS } from "../actors/driver_protocol.ts";
import { CLOSE_CODES } from "../domain/close_codes.ts";
import type { Clock } from "../actors/runtime/mod.ts";

/** What to do with one frame a client sent; see {@linkcode SocketGuard.screen}. */
export type ScreenedFrame =
  | { readonly ok: true; readonly text: string }
  | {
    readonly ok: false;
    /** The error frame to send, if any. */
    readonly error?: {
      code: "rate_limited" | "invalid_frame" | "frame_too_large";
      message: string;
    };
    /** Close the socket after the error frame, if set. */
    readonly close?: { code: number; reason: string };
  };

/** Options of {@linkcode SocketGuard}. */
export interface SocketGuardOptions {
  /** Frames per second and burst (for the message, and the limiter when none is given). */
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  /** A limiter shared with the principal's other sockets; defaults to one for this socket. */
  readonly limiter?: RateLimiter | undefined;
  /** Time for the rate limit and the token expiry (default: the system clock). */
  readonly clock?: Clock | undefined;
}

/**
 * The limits every socket has, driver and viewer alike, one guard per connection: the token's
 * expiry closes it with 4001; frames over the rate limit are refused with `rate_limited`, and
 * persistent flooding closes it with 4029; binary frames are refused; frames over 64 KiB close it
 * with 1009.
 */
export class SocketGuard {
  #principal: Principal;
  #clock: Clock | undefined;
  #limiter: RateLimiter;
  #rate: SocketGuardOptions["rate"];
  #cancelExpiry: (() => void) | undefined;

  constructor(principal: Principal, options: SocketGuardOptions) {
    this.#principal = principal;
    this.#clock = options.clock;
    this.#rate = options.rate;
    this.#limiter = options.limiter ?? new RateLimiter({ ...options.rate, clock: options.clock });
  }

  /** The socket opened: `close` it when the token expires. */
  open(close: (code: number, reason: string) => void): void {
    this.#cancelExpiry = closeOnExpiry(this.#principal, close, { clock: this.#clock });
  }

  /** The socket closed. False when it was already reported closed (Deno may report it twice). */
  closed(): boolean {
    if (!this.#cancelExpiry) return false;
    this.#cancelExpiry();
    this.#cancelExpiry = undefined;
    return true;
  }

  /** Judges one incoming frame. */
  screen(data: unknown): ScreenedFrame {
    const verdict = this.#limiter.take();
    if (verdict === "abusive") {
      return { ok: false, close: { code: CLOSE_CODES.rateLimited, reason: "rate limit exceeded" } };
    }
    if (verdict === "limited") {
      const { perSec, burst } = this.#rate;
      const message = `over ${perSec} frames/s (burst ${burst}); slow down`;
      return { ok: false, error: { code: "rate_limited", message } };
    }
    if (typeof data !== "string") {
      return { ok: false, error: { code: "invalid_frame", message: "send JSON text frames" } };
    }
    if (data.length > MAX_FRAME_CHARS) {
      return {
        ok: false,
        error: {
          code: "frame_too_large",
          message: `frames are limited to ${MAX_FRAME_CHARS} bytes`,
        },
        close: { code: CLOSE_CODES.tooLarge, reason: "frame too large" },
      };
    }
    return { ok: true, text: data };
  }
}
