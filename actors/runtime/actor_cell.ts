import { ActorHolder } from "./actor_holder.ts";
import type { Envelope } from "./actor_ref.ts";
import type { CellHost } from "./cell_host.ts";
import { CellMailbox } from "./cell_mailbox.ts";
import { type AfterTurn, type CellState, isBusy, isLive, type Retried } from "./cell_state.ts";
import type { Retrying, StopReason } from "./cell_state.ts";
import { ActorStoppedError } from "./errors.ts";
import { IdleTimer } from "./idle_timer.ts";
import { Supervisor } from "./supervisor.ts";
import { CellTurn } from "./cell_turn.ts";

/**
 * One address (kind, id): its mailbox, the current instance, and its lifecycle as one state
 * machine (see {@linkcode CellState}): activation, turns, supervision, passivation, stop.
 * Internal to the runtime.
 */
export class ActorCell<M> {
  #host: CellHost<M>;
  #mailbox: CellMailbox<M>;
  #supervisor: Supervisor;
  #actor: ActorHolder<M>;
  #state: CellState<M> = { name: "starting", after: "go-on" };
  #idle: IdleTimer;
  #turns: CellTurn<M>;
  /** Made when someone waits for the stop: most cells are never asked. */
  #stopped: PromiseWithResolvers<void> | undefined;

  /** Creates the cell and activates it on a microtask. */
  constructor(host: CellHost<M>) {
    const { def, clock } = host;
    this.#host = host;
    this.#idle = new IdleTimer(clock, def.idleMs, {
      idle: () => this.#state.name === "idle" && this.#mailbox.size === 0,
      passivate: () => this.#actor.canPassivate() && (void this.#stop("idle"), true),
    });
    this.#mailbox = new CellMailbox(host, def, host.stats);
    this.#supervisor = new Supervisor(def.supervision);
    this.#actor = new ActorHolder(host, {
      control: (message, kind) => this.#control(message, kind),
      acceptsTimers: () => !host.shuttingDown() && isLive(this.#state),
      stop: () => void this.stop(),
      stopWhenIdle: (stop) => this.#requestPassivation(stop),
    });
    this.#turns = new CellTurn({
      take: () => this.#take(),
      receive: (message) => this.#actor.receive(message),
      delivered: (envelope) => {
        host.stats.processed++;
        if (!envelope.control) this.#idle.touch();
      },
      fail: (error, handed) => this.#fail(error, handed),
      waiting: () => this.#mailbox.size > 0,
      end: () => this.#end(),
    }, def.throughput);
    host.busy(1);
    queueMicrotask(() => void this.#start(false));
  }

  /** Queued messages, user and control. */
  get depth(): number {
    return this.#mailbox.size;
  }

  /** Queues an envelope; throws {@linkcode MailboxFullError} or {@linkcode ActorStoppedError}. */
  post(envelope: Envelope<M>): void {
    const { kind, id } = this.#host;
    const { name } = this.#state;
    if (name === "stopped" || (name === "stopping" && this.#host.shuttingDown())) {
      throw new ActorStoppedError({ kind, id });
    }
    this.#mailbox.push(envelope);
    if (!envelope.control) this.#idle.touch();
    if (this.#state.name === "idle") this.#turn();
  }

  /** Stops after the current message; resolves once this instance has stopped. */
  stop(): Promise<void> {
    const state = this.#state;
    switch (state.name) {
      case "stopped":
        return Promise.resolve();
      case "starting":
      case "running":
        state.after = "stop";
        break;
      case "idle":
      case "backoff":
      case "retrying":
        void this.#stop("stop");
    }
    return (this.#stopped ??= Promise.withResolvers()).promise;
  }

  /** Drains the mailbox, then stops; a restart or retry waiting on its backoff happens at once. */
  shutdown(): void {
    this.#actor.timers.cancelAll();
    this.#idle.clear();
    const state = this.#state;
    if (state.name === "backoff") {
      this.#host.clock.clearTimeout(state.timer);
      void this.#start(true);
    } else if (state.name === "retrying") {
      void this.#giveUpRetry(state);
    } else if (state.name === "idle") {
      void this.#stop("shutdown");
    }
  }

  /** The single place the state changes; keeps the system's busy count. */
  #go(next: CellState<M>): void {
    const was = isBusy(this.#state);
    this.#state = next;
    const now = isBusy(next);
    if (was !== now) this.#host.busy(now ? 1 : -1);
  }

  #after(): AfterTurn {
    const state = this.#state;
    return state.name === "starting" || state.name === "running" ? state.after : "go-on";
  }

  /** A timer's message, or a signal (reaches the next instance too, never a stopping one). */
  #control(message: M, kind: "timer" | "signal"): void {
    const { name } = this.#state;
    if (kind === "timer" || (name !== "stopped" && name !== "stopping")) {
      this.post({ message, control: true });
    }
  }

  #requestPassivation(stop: boolean): void {
    const state = this.#state;
    if (state.name === "idle" && stop) return void this.#stop("idle");
    if ((state.name !== "starting" && state.name !== "running") || state.after === "stop") return;
    state.after = stop ? "passivate" : "go-on";
  }

  #turn(retried?: Retried<M>): void {
    this.#go({ name: "running", after: "go-on" });
    queueMicrotask(retried === undefined ? this.#turns.run : () => this.#turns.retry(retried));
  }

  async #start(restart: boolean): Promise<void> {
    this.#go({ name: "starting", after: "go-on" });
    this.#host.stats[restart ? "restarts" : "activations"]++;
    try {
      await this.#actor.start();
    } catch (error) {
      return void (await this.#fail(error));
    }
    this.#go({ name: "running", after: this.#after() });
    this.#idle.touch();
    this.#turns.run();
  }

  /** Ends a turn: the mailbox is empty (or the cell stops). */
  #end(): void {
    const after = this.#after();
    if (after === "stop") return void this.#stop("stop");
    if (this.#host.shuttingDown()) return void this.#stop("shutdown");
    if (after === "passivate") return void this.#stop("idle");
    this.#go(_IDLE);
    this.#idle.arm();
  }

  #take(): Envelope<M> | undefined {
    if (this.#state.name !== "running" || this.#state.after === "stop") return undefined;
    return this.#mailbox.shift();
  }

  /** Applies the kind's directive; `true` when the turn goes on (resume). */
  async #fail(error: unknown, failed?: Retried<M>): Promise<boolean> {
    this.#host.stats.failures++;
    this.#host.report(error);
    const directive = this.#supervisor.decide(error, {
      instance: failed !== undefined,
      retryable: !this.#host.shuttingDown() && this.#after() !== "stop",
      report: this.#host.report,
    });
    if (directive === "retry" && failed !== undefined) {
      this.#waitToRetry({ envelope: failed.envelope, attempt: failed.attempt + 1 }, error);
      return false;
    }
    failed?.envelope.ask?.reject(error);
    if (directive === "resume") return true;
    if (directive === "stop") await this.#stop("failed");
    else await this.#restart();
    return false;
  }

  #waitToRetry(failed: Retried<M>, error: unknown): void {
    const cancel = this.#supervisor.scheduleRetry(this.#host.clock, failed.attempt, {
      due: () => this.#turn(failed),
      cancelled: () => void (this.#state === state && this.#giveUpRetry(state)),
    });
    const state: Retrying<M> = { name: "retrying", failed, error, cancel };
    this.#go(state);
  }

  /** A retry that may not wait any longer: its message fails, and the actor stops. */
  #giveUpRetry(state: Retrying<M>): Promise<void> {
    state.failed.envelope.ask?.reject(state.error);
    return this.#stop("failed");
  }

  async #restart(): Promise<void> {
    await this.#actor.discard();
    const { clock } = this.#host;
    const delay = this.#supervisor.next(clock.now());
    if (delay === undefined) return this.#stop("failed");
    if (this.#after() === "stop") return this.#stop("stop");
    if (this.#host.shuttingDown()) return this.#start(true);
    this.#go({ name: "backoff", timer: clock.setTimeout(() => void this.#start(true), delay) });
  }

  async #stop(reason: StopReason): Promise<void> {
    const { stats, clock } = this.#host;
    const from = this.#state;
    this.#go({ name: "stopping", reason });
    if (from.name === "backoff") clock.clearTimeout(from.timer);
    if (from.name === "retrying") from.cancel();
    this.#actor.timers.cancelAll();
    this.#idle.clear();
    if (reason === "stop" || reason === "failed") {
      this.#mailbox.dropAll(from.name === "retrying" ? [from.failed.envelope] : []);
    }
    await this.#actor.discard();
    if (reason === "idle") stats.passivations++;
    this.#mailbox.failTaken();
    this.#supervisor.reset();
    this.#stopped?.resolve();
    this.#stopped = undefined;
    if (this.#mailbox.size > 0) return this.#start(false); // arrived during onStop
    this.#go({ name: "stopped" });
    this.#host.removed();
  }
}

const _IDLE = { name: "idle" } as const;
