import { ACTOR_DEFAULTS } from "./actor_defaults.ts";
import { ActorCell } from "./actor_cell.ts";
import type { ActorKey } from "./actor_key.ts";
import { type Envelope, LocalActorRef } from "./actor_ref.ts";
import { type Clock, systemClock } from "./clock.ts";
import { ActorStoppedError } from "./errors.ts";
import type { KindStats } from "./cell_mailbox.ts";
import { type ResolvedKind, resolveKind } from "./resolve_kind.ts";
import type { ActorKind, ActorRef, ActorSystemOptions, KindMetrics, Message } from "./types.ts";
import { logger } from "../../lib/log.ts";

interface _Kind {
  def: ResolvedKind<Message>;
  stats: KindStats;
  cells: Map<string, ActorCell<Message>>;
}

/**
 * Hosts actors addressed by (kind, id): activates them on their first message, runs one
 * message at a time per actor, supervises failures, passivates idle actors.
 *
 * @example
 * ```ts
 * type Ping = { type: "ping"; replyTo: (n: number) => void };
 * const COUNTER = actorKey<Ping>("counter");
 * const system = new ActorSystem();
 * let count = 0;
 * system.register(COUNTER, { create: () => ({ receive: (m) => m.replyTo(++count) }) });
 * const n = await system.ref(COUNTER, "a").ask<number>((replyTo) => ({ type: "ping", replyTo }));
 * await system.shutdown();
 * ```
 */
export class ActorSystem {
  /** The clock every delay of this system is measured on. */
  readonly clock: Clock;
  #onError: NonNullable<ActorSystemOptions["onError"]>;
  #kinds = new Map<string, _Kind>();
  #busy = 0;
  #settledWaiters: (() => void)[] = [];
  #shutdown: PromiseWithResolvers<void> | undefined;

  /** Creates an empty system. */
  constructor(options: ActorSystemOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.#onError = options.onError ?? ACTOR_DEFAULTS.onError;
  }

  /** Defines the kind `key` names; each kind is registered once. */
  register<M extends Message>(key: ActorKey<M>, def: ActorKind<M>): void {
    const { kind } = key;
    if (this.#kinds.has(kind)) throw new Error(`actor kind ${kind} is already registered`);
    const stats = {
      processed: 0,
      dropped: 0,
      restarts: 0,
      activations: 0,
      passivations: 0,
      failures: 0,
    };
    const resolved = resolveKind(kind, def) as unknown as ResolvedKind<Message>;
    this.#kinds.set(kind, { def: resolved, stats, cells: new Map() });
  }

  /** The address (kind, id); the actor is activated by the first message sent to it. */
  ref<M extends Message>(key: ActorKey<M>, id: string): ActorRef<M> {
    const { kind } = key;
    this.#kind(kind);
    return this.#ref(kind, id);
  }

  #ref<M extends Message>(kind: string, id: string): ActorRef<M> {
    return new LocalActorRef<M>({
      kind,
      id,
      clock: this.clock,
      post: (envelope) => this.#post(kind, id, envelope as Envelope<Message>),
    });
  }

  /**
   * How actors of a kind reach the actors of `key`: a function from id to ref, for an actor's
   * dependencies. The kind may be registered after this is called, before the first use.
   */
  refs<M extends Message>(key: ActorKey<M>): (id: string) => ActorRef<M> {
    return (id) => this.ref(key, id);
  }

  /** Whether an actor is live (activated and not yet stopped) at this address. */
  has<M extends Message>(key: ActorKey<M>, id: string): boolean {
    return this.#kinds.get(key.kind)?.cells.has(id) ?? false;
  }

  /** Live actors of one kind, or of all kinds. */
  count<M extends Message>(key?: ActorKey<M>): number {
    if (key !== undefined) return this.#kind(key.kind).cells.size;
    let total = 0;
    for (const entry of this.#kinds.values()) total += entry.cells.size;
    return total;
  }

  /** Stops an actor after its current message, dropping what is queued; resolves when stopped. */
  stop<M extends Message>(key: ActorKey<M>, id: string): Promise<void> {
    return this.#kind(key.kind).cells.get(id)?.stop() ?? Promise.resolve();
  }

  /**
   * Resolves once no actor has a turn, start or stop in progress. Actors waiting on the clock
   * (restart backoff, timers, idle) count as settled; advance the clock to move them.
   */
  settled(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  /**
   * Stops accepting messages for addresses with no live actor, lets every live actor drain
   * its mailbox (a restart backoff is skipped), runs `onStop`, cancels timers; resolves
   * when every actor is gone.
   */
  shutdown(): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown.promise;
    this.#shutdown = Promise.withResolvers();
    for (const entry of this.#kinds.values()) {
      for (const cell of [...entry.cells.values()]) cell.shutdown();
    }
    this.#checkShutdown();
    return this.#shutdown.promise;
  }

  /** Counters per kind. */
  metrics(): KindMetrics[] {
    return [...this.#kinds].map(([kind, { stats, cells }]) => {
      let mailboxDepth = 0;
      for (const cell of cells.values()) mailboxDepth += cell.depth;
      return { kind, live: cells.size, mailboxDepth, ...stats };
    });
  }

  #kind(kind: string): _Kind {
    const entry = this.#kinds.get(kind);
    if (entry === undefined) throw new Error(`actor kind ${kind} is not registered`);
    return entry;
  }

  #post(kind: string, id: string, envelope: Envelope<Message>): void {
    const entry = this.#kind(kind);
    let cell = entry.cells.get(id);
    if (cell === undefined) {
      if (this.#shutdown !== undefined) throw new ActorStoppedError({ kind, id });
      cell = this.#activate(kind, id, entry);
    }
    cell.post(envelope);
  }

  #activate(kind: string, id: string, entry: _Kind): ActorCell<Message> {
    const cell: ActorCell<Message> = new ActorCell({
      kind,
      id,
      def: entry.def,
      clock: this.clock,
      self: this.#ref(kind, id),
      shuttingDown: () => this.#shutdown !== undefined,
      stats: entry.stats,
      busy: (delta) => this.#onBusy(delta),
      report: (error) => this.#report(kind, id, error),
      removed: () => {
        if (entry.cells.get(id) === cell) entry.cells.delete(id);
        this.#checkShutdown();
      },
    });
    entry.cells.set(id, cell);
    return cell;
  }

  #onBusy(delta: 1 | -1): void {
    this.#busy += delta;
    if (this.#busy > 0) return;
    for (const resolve of this.#settledWaiters.splice(0)) resolve();
  }

  #report(kind: string, id: string, error: unknown): void {
    try {
      this.#onError(kind, id, error);
    } catch (reportError) {
      logger("actors").error("onError threw", { kind, id, error: reportError });
    }
  }

  #checkShutdown(): void {
    if (this.#shutdown !== undefined && this.count() === 0) this.#shutdown.resolve();
  }
}
