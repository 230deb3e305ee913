import type { DriverServerFrame, DriverSocket } from "../actors/driver_protocol.ts";
import { MAX_BATCH_POINTS } from "../actors/driver_protocol.ts";
import type { DriverMessage } from "../actors/driver_actor.ts";
import type { ActorRef } from "../actors/runtime/mod.ts";
import { AskTimeoutError, MailboxFullError } from "../actors/runtime/mod.ts";
import type { ErrorCode } from "../domain/error_codes.ts";
import type { Fix } from "../domain/fix.ts";

/**
 * What became of a phone's fixes: `stored` when each is in Kafka or refused for good (`refused`
 * lists those codes), else why not yet: `unavailable` (Kafka refused or the wait ran out),
 * `busy` (the driver's mailbox is full), or `invalid` (the actor could not read a frame).
 */
export type PhoneOutcome =
  | { readonly kind: "stored"; readonly refused: readonly ErrorCode[] }
  | { readonly kind: "unavailable" | "busy" | "invalid"; readonly message: string };

/** Options of {@linkcode PhoneLinks}. */
export interface PhoneLinksOptions {
  /** The driver's actor. */
  readonly driver: (driverId: string) => ActorRef<DriverMessage>;
  /** Longest wait for Kafka before answering `unavailable`, ms. @default {10_000} */
  readonly answerMs?: number | undefined;
}

/** Verdicts that mean "already stored or superseded": done once the stored prefix covers them. */
const _SETTLED_LATER: ReadonlySet<ErrorCode> = new Set(["duplicate", "stale"]);

interface _Waiter {
  /** The `ts` of fixes not yet known to be in Kafka or refused. */
  readonly pending: Set<number>;
  readonly refused: ErrorCode[];
  readonly done: (outcome: PhoneOutcome) => void;
}

/**
 * Hands a phone's fixes to its driver's actor as `locations` frames, on a {@linkcode DriverSocket}
 * of its own per driver (shared by that driver's requests in flight, so a cumulative ack reaches
 * every one), and resolves once each fix is in Kafka: acked, or refused for good by the filters,
 * or a `duplicate`/`stale` fix at or below the stored prefix (asked of the actor, so a request
 * re-sent while its first copy is still in flight waits for that copy). A closed link (Kafka
 * refused a fix: 1011) fails its requests with `unavailable`; the next request gets a new link.
 */
export class PhoneLinks {
  readonly #options: PhoneLinksOptions;
  readonly #links = new Map<string, _Link>();

  constructor(options: PhoneLinksOptions) {
    this.#options = options;
  }

  /** Drivers with requests in flight. */
  get size(): number {
    return this.#links.size;
  }

  /** Sends `fixes` of `driverId` through its actor; resolves with what became of them. */
  async submit(driverId: string, fixes: readonly Fix[]): Promise<PhoneOutcome> {
    if (fixes.length === 0) return { kind: "stored", refused: [] };
    let link = this.#links.get(driverId);
    if (!link) {
      const created: _Link = new _Link(() => {
        if (this.#links.get(driverId) === created) this.#links.delete(driverId);
      });
      this.#links.set(driverId, link = created);
    }
    const ref = this.#options.driver(driverId);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let waiter!: _Waiter;
    const outcome = new Promise<PhoneOutcome>((done) => {
      waiter = { pending: new Set(fixes.map((f) => f.ts)), refused: [], done };
      timer = setTimeout(
        () => done({ kind: "unavailable", message: "Kafka has not taken the fixes yet" }),
        this.#options.answerMs ?? 10_000,
      );
    });
    link.add(waiter);
    try {
      _tell(ref, link, fixes);
      const stored = await ref.ask<number>((replyTo) => ({ type: "stored", replyTo }));
      link.storedUpTo(stored);
      return await outcome;
    } catch (error) {
      if (error instanceof AskTimeoutError) {
        return { kind: "unavailable", message: "the driver's actor did not answer in time" };
      }
      if (!(error instanceof MailboxFullError)) throw error;
      return { kind: "busy", message: "too many fixes in flight for this driver; resend later" };
    } finally {
      clearTimeout(timer);
      link.remove(waiter);
    }
  }
}

function _tell(ref: ActorRef<DriverMessage>, link: _Link, fixes: readonly Fix[]): void {
  for (let i = 0; i < fixes.length; i += MAX_BATCH_POINTS) {
    const points = fixes.slice(i, i + MAX_BATCH_POINTS);
    ref.tell({ type: "frame", text: JSON.stringify({ type: "locations", points }), socket: link });
  }
}

/** One driver's link: the socket its actor answers on while requests are in flight. */
class _Link implements DriverSocket {
  readonly #waiters = new Set<_Waiter>();
  readonly #gone: () => void;
  /** Every fix up to this `ts` is in Kafka (acks, and the actor's answer to `stored`). */
  #stored = 0;

  constructor(gone: () => void) {
    this.#gone = gone;
  }

  add(waiter: _Waiter): void {
    this.#waiters.add(waiter);
  }

  remove(waiter: _Waiter): void {
    this.#waiters.delete(waiter);
    if (this.#waiters.size === 0) this.#gone();
  }

  /**
   * Kafka has every accepted fix up to `ts` (an ack, or the actor's answer to `stored`, which
   * comes after every verdict on the request's fixes): what is pending up to it is done.
   */
  storedUpTo(ts: number): void {
    this.#stored = Math.max(this.#stored, ts);
    for (const waiter of this.#waiters) {
      for (const pending of waiter.pending) {
        if (pending <= this.#stored) waiter.pending.delete(pending);
      }
      this.#check(waiter);
    }
  }

  send(frame: DriverServerFrame): void {
    if (frame.type === "ack") {
      this.storedUpTo(frame.ts);
    } else if (frame.type === "error" && frame.ts !== undefined) {
      this.#refused(frame.code, frame.ts);
    } else if (frame.type === "error") {
      const kind = frame.code === "busy" || frame.code === "unavailable" ? frame.code : "invalid";
      const message = `${frame.code}: ${frame.message}`;
      for (const waiter of this.#waiters) {
        waiter.done(kind === "invalid" ? { kind, message } : { kind: "unavailable", message });
      }
    }
  }

  close(_code: number, reason: string): void {
    this.#gone();
    for (const waiter of this.#waiters) waiter.done({ kind: "unavailable", message: reason });
  }

  #refused(code: ErrorCode, ts: number): void {
    const later = _SETTLED_LATER.has(code);
    for (const waiter of this.#waiters) {
      if (!waiter.pending.has(ts)) continue;
      if (later && ts > this.#stored) continue;
      waiter.pending.delete(ts);
      if (!later) waiter.refused.push(code);
      this.#check(waiter);
    }
  }

  #check(waiter: _Waiter): void {
    if (waiter.pending.size === 0) waiter.done({ kind: "stored", refused: waiter.refused });
  }
}
