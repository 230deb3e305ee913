import type { Clock } from "./clock.ts";

/** What an {@linkcode IdleTimer} asks its cell. Internal. */
export interface IdleOwner {
  /** Whether the cell waits for messages with an empty mailbox (no turn on). */
  idle(): boolean;
  /** Passivates, or returns `false` when the instance refuses (`canPassivate`). */
  passivate(): boolean;
}

/**
 * The passivation timer of one cell: measures the time since the last user message and, once
 * `idleMs` has passed with the cell idle, passivates it. An armed timer stays armed across
 * messages: when it fires early it re-arms for the time left (re-arming after every message
 * cost a setTimeout and a clearTimeout per message). Internal.
 */
export class IdleTimer {
  #clock: Clock;
  #idleMs: number | undefined;
  #owner: IdleOwner;
  #lastActive: number;
  #timer: number | undefined;

  /** A disarmed timer; `idleMs` undefined: the kind never passivates. */
  constructor(clock: Clock, idleMs: number | undefined, owner: IdleOwner) {
    this.#clock = clock;
    this.#idleMs = idleMs;
    this.#owner = owner;
    this.#lastActive = clock.now();
  }

  /** A user message arrived or was handled now. */
  touch(): void {
    this.#lastActive = this.#clock.now();
  }

  /** Arms the timer (if the kind passivates and it is not armed already). */
  arm(wait?: number): void {
    const idleMs = this.#idleMs;
    if (idleMs === undefined || this.#timer !== undefined) return;
    wait ??= Math.max(0, this.#lastActive + idleMs - this.#clock.now());
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#owner.idle()) return; // the turn under way re-arms when it ends
      if (this.#clock.now() - this.#lastActive < idleMs) this.arm();
      else if (!this.#owner.passivate()) this.arm(idleMs);
    }, wait);
  }

  /** Disarms the timer. */
  clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
