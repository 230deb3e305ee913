import type { Envelope } from "./actor_ref.ts";
import { ActorTimerSet } from "./actor_timers.ts";
import type { ActorSystem } from "./actor_system.ts";
import type { Clock } from "./clock.ts";
import { ActorStoppedError, MailboxFullError } from "./errors.ts";
import { Mailbox } from "./mailbox.ts";
import type { PendingAsk } from "./pending_ask.ts";
import type { ResolvedKind } from "./resolve_kind.ts";
import { RestartBackoff } from "./restart_backoff.ts";
import type { Actor, ActorContext, ActorRef, KindMetrics } from "./types.ts";

/** The counters a cell updates for its kind. Internal. */
export type KindStats = Omit<KindMetrics, "kind" | "live" | "mailboxDepth">;

/** What a cell needs from its system. Internal. */
export interface CellHost<M> {
  kind: string;
  id: string;
  def: ResolvedKind<M>;
  system: ActorSystem;
  clock: Clock;
  self: ActorRef<M>;
  stats: KindStats;
  /** Counts cells with work in progress, for `ActorSystem.settled`. */
  busy(delta: 1 | -1): void;
  report(error: unknown): void;
  /** The cell stopped for good and leaves the registry. */
  removed(): void;
}

type _State = "starting" | "running" | "backoff" | "stopping" | "stopped";
type _StopReason = "stop" | "failed" | "idle" | "shutdown";

/**
 * One address (kind, id): its mailbox, the current instance, its lifecycle (activation,
 * turns, supervision, passivation, stop). Internal to the runtime.
 */
export class ActorCell<M> {
  #host: CellHost<M>;
  #clock: Clock;
  #mailbox: Mailbox<Envelope<M>>;
  #timers: ActorTimerSet<M>;
  #restarts: RestartBackoff;
  #ctx: ActorContext<M>;
  #actor: Actor<M> | undefined;
  #state: _State = "starting";
  #busy = false;
  #stopRequested = false;
  /** The instance asked to stop once its mailbox is empty (`ctx.stopWhenIdle`). */
  #stopWhenIdle = false;
  #draining = false;
  #asks = new Set<PendingAsk<unknown>>();
  #idleTimer: number | undefined;
  #backoffTimer: number | undefined;
  #lastActive: number;
  #stopped = Promise.withResolvers<void>();

  /** Creates the cell and activates it on a microtask. */
  constructor(host: CellHost<M>) {
    const { kind, id, def, clock } = host;
    this.#host = host;
    this.#clock = clock;
    this.#lastActive = clock.now();
    const { conflateKey } = def.mailbox;
    this.#mailbox = new Mailbox({
      kind,
      id,
      capacity: def.mailbox.capacity,
      overflow: def.mailbox.overflow,
      ...(conflateKey && { key: (envelope: Envelope<M>) => conflateKey(envelope.message) }),
    });
    this.#timers = new ActorTimerSet({
      clock,
      deliver: (message) => this.post({ message, control: true }),
      accepting: () => !this.#draining && (this.#state === "running" || this.#state === "starting"),
    });
    this.#restarts = new RestartBackoff(def.supervision);
    this.#ctx = {
      kind,
      id,
      self: host.self,
      system: host.system,
      clock,
      timers: this.#timers,
      signal: (message) => {
        if (this.#state === "stopped" || this.#state === "stopping") return;
        this.post({ message, control: true });
      },
      stop: () => void this.stop(),
      stopWhenIdle: (stop = true) => {
        if (this.#state === "running" || this.#state === "starting") this.#stopWhenIdle = stop;
      },
    };
    this.#setBusy(true);
    queueMicrotask(() => void this.#start(false));
  }

  /** Queued messages, user and control. */
  get depth(): number {
    return this.#mailbox.size;
  }

  /** Queues an envelope; throws {@linkcode MailboxFullError} or {@linkcode ActorStoppedError}. */
  post(envelope: Envelope<M>): void {
    const { kind, id, def, stats } = this.#host;
    if (this.#state === "stopped" || (this.#draining && this.#state === "stopping")) {
      throw new ActorStoppedError({ kind, id });
    }
    if (envelope.control) {
      this.#mailbox.pushControl(envelope);
    } else {
      let dropped: Envelope<M> | undefined;
      try {
        dropped = this.#mailbox.push(envelope);
      } catch (error) {
        stats.dropped++;
        throw error;
      }
      if (dropped !== undefined) {
        stats.dropped++;
        dropped.ask?.reject(new MailboxFullError({ kind, id, capacity: def.mailbox.capacity }));
      }
      this.#lastActive = this.#clock.now();
    }
    this.#kick();
  }

  /** Stops after the current message; resolves once this instance has stopped. */
  stop(): Promise<void> {
    if (this.#state === "stopped") return Promise.resolve();
    if (this.#state !== "stopping") {
      this.#stopRequested = true;
      if (!this.#busy) void this.#stop("stop");
    }
    return this.#stopped.promise;
  }

  /** Drains the mailbox, then stops; restarts at once if waiting on a backoff. */
  shutdown(): void {
    this.#draining = true;
    this.#timers.cancelAll();
    this.#clearTimers();
    if (this.#state === "backoff") void this.#start(true);
    else if (this.#state === "running" && !this.#busy) void this.#stop("shutdown");
  }

  #setBusy(busy: boolean): void {
    if (busy === this.#busy) return;
    this.#busy = busy;
    this.#host.busy(busy ? 1 : -1);
  }

  #kick(): void {
    if (this.#state !== "running" || this.#busy) return;
    this.#setBusy(true);
    queueMicrotask(() => void this.#run());
  }

  async #start(restart: boolean): Promise<void> {
    this.#state = "starting";
    this.#stopWhenIdle = false;
    this.#setBusy(true);
    this.#host.stats[restart ? "restarts" : "activations"]++;
    try {
      this.#actor = this.#host.def.create(this.#host.id, this.#ctx);
      await this.#actor.onStart?.();
    } catch (error) {
      return this.#fail(error);
    }
    this.#state = "running";
    this.#lastActive = this.#clock.now();
    return this.#run();
  }

  async #run(): Promise<void> {
    const { throughput } = this.#host.def;
    let turn = 0;
    while (this.#state === "running" && !this.#stopRequested) {
      const envelope = this.#mailbox.shift();
      if (envelope === undefined) break;
      if (!(await this.#deliver(envelope))) return;
      if (++turn >= throughput && this.#mailbox.size > 0) {
        turn = 0;
        await _yieldToEventLoop();
      }
    }
    if (this.#stopRequested) return this.#stop("stop");
    if (this.#draining) return this.#stop("shutdown");
    if (this.#stopWhenIdle) return this.#stop("idle");
    this.#setBusy(false);
    this.#armIdle();
  }

  async #deliver(envelope: Envelope<M>): Promise<boolean> {
    const { ask } = envelope;
    if (ask !== undefined && !ask.settled) {
      this.#asks.add(ask);
      ask.onSettle(() => this.#asks.delete(ask));
    }
    try {
      await this.#actor?.receive(envelope.message);
    } catch (error) {
      ask?.reject(error);
      await this.#fail(error);
      return false;
    }
    this.#host.stats.processed++;
    if (!envelope.control) this.#lastActive = this.#clock.now();
    return true;
  }

  async #fail(error: unknown): Promise<void> {
    this.#host.stats.failures++;
    this.#host.report(error);
    this.#timers.cancelAll();
    await this.#discard();
    const delay = this.#restarts.next(this.#clock.now());
    if (delay === undefined) return this.#stop("failed");
    if (this.#stopRequested) return this.#stop("stop");
    if (this.#draining) return this.#start(true);
    this.#state = "backoff";
    this.#backoffTimer = this.#clock.setTimeout(() => {
      this.#backoffTimer = undefined;
      void this.#start(true);
    }, delay);
    this.#setBusy(false);
  }

  async #stop(reason: _StopReason): Promise<void> {
    const { kind, id, stats } = this.#host;
    this.#state = "stopping";
    this.#setBusy(true);
    this.#stopRequested = false;
    this.#timers.cancelAll();
    this.#clearTimers();
    if (reason === "stop" || reason === "failed") {
      for (const envelope of this.#mailbox.drain()) {
        stats.dropped++;
        envelope.ask?.reject(new ActorStoppedError({ kind, id }));
      }
    }
    await this.#discard();
    if (reason === "idle") stats.passivations++;
    for (const ask of [...this.#asks]) ask.reject(new ActorStoppedError({ kind, id }));
    this.#restarts.reset();
    this.#stopped.resolve();
    this.#stopped = Promise.withResolvers();
    if (this.#mailbox.size > 0) return this.#start(false); // arrived during onStop
    this.#state = "stopped";
    this.#host.removed();
    this.#setBusy(false);
  }

  async #discard(): Promise<void> {
    const actor = this.#actor;
    this.#actor = undefined;
    try {
      await actor?.onStop?.();
    } catch (error) {
      this.#host.report(error);
    }
  }

  #armIdle(): void {
    const { idleMs } = this.#host.def;
    // An armed timer stays: when it fires it re-arms for the time left since the last message.
    // (Re-arming after every message cost a setTimeout and a clearTimeout per message.)
    if (idleMs === undefined || this.#draining || this.#idleTimer !== undefined) return;
    const wait = Math.max(0, this.#lastActive + idleMs - this.#clock.now());
    this.#idleTimer = this.#clock.setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#state !== "running" || this.#busy || this.#mailbox.size > 0) return;
      if (this.#clock.now() - this.#lastActive < idleMs) this.#armIdle();
      else void this.#stop("idle");
    }, wait);
  }

  #clearTimers(): void {
    if (this.#idleTimer !== undefined) this.#clock.clearTimeout(this.#idleTimer);
    if (this.#backoffTimer !== undefined) this.#clock.clearTimeout(this.#backoffTimer);
    this.#idleTimer = this.#backoffTimer = undefined;
  }
}

function _yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
