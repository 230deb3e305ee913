import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import type { HealthReporter } from "../domain/health_reporter.ts";

/** A long-lived client that is running: a Kafka consumer, tailer or the like. */
export interface RunningStream {
  /** Stops it for good and releases its connections. */
  close(): Promise<void>;
  /** Stops reading and waits until what was read has been handled (for an orderly shutdown). */
  pause?(): Promise<void>;
}

/**
 * Builds and starts one client; rejects when it cannot start. The client calls `failed` once
 * when it can no longer go on; it is then closed and built again.
 */
export type OpenStream = (failed: (error: unknown) => void) => Promise<RunningStream>;

/** A stream under supervision, as its owner holds it. */
export interface Supervised {
  /** Pauses the running stream and waits for its in-flight work. */
  pause(): Promise<void>;
  /** Closes the stream for good. */
  close(): Promise<void>;
}

/** Runs a stream under supervision as the component `name` (readiness, metrics). */
export type Supervise = (name: string, open: OpenStream) => Supervised;

/** Messages a StreamActor accepts. */
export type StreamMessage =
  /** Activates the actor (it opens its stream as it starts). */
  | { type: "start" }
  /** The running stream failed (control queue): the actor fails, and is restarted. */
  | { type: "failed"; error: unknown }
  /** Pauses the stream and waits for its in-flight work. */
  | { type: "pause"; replyTo: (value: void) => void }
  /** Closes the stream and stops the actor. */
  | { type: "close"; replyTo: (value: void) => void };

/** The key of the stream kind: one actor per supervised client, by component name. */
export const STREAM = actorKey<StreamMessage>("stream");

/** What the StreamActor kind needs. */
export interface StreamActorDeps {
  /** How to open each stream, by actor id (the component's name in readiness and metrics). */
  readonly streams: ReadonlyMap<string, OpenStream>;
  readonly health: HealthReporter;
  /** Aborted when the service shuts down: a stream that is restarted after that stays closed. */
  readonly stopping: AbortSignal;
  /** Longest wait for a failed stream to close before it is left behind (default 10 s). */
  readonly closeTimeoutMs?: number;
}

/** Restart for ever, from 250 ms doubling to at most 5 s between attempts. */
export const STREAM_SUPERVISION = {
  maxRestarts: Infinity,
  windowMs: 60_000,
  backoffMs: 250,
  maxBackoffMs: 5_000,
} as const;

/**
 * One actor per long-lived client (the history and notifier consumers, the live tailers): it
 * opens the client as it starts and, when the client fails, fails itself, so the runtime's
 * supervision closes the client and opens a new one with backoff, for as long as it takes. A
 * client that cannot even start (Kafka down) is retried the same way. Readiness follows: down
 * from the failure until the new client runs.
 */
export class StreamActor implements Actor<StreamMessage> {
  #ctx: ActorContext<StreamMessage>;
  #deps: StreamActorDeps;
  #restart: boolean;
  #running: RunningStream | undefined;
  #done = false;

  constructor(ctx: ActorContext<StreamMessage>, deps: StreamActorDeps, restart: boolean) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#restart = restart;
  }

  async onStart(): Promise<void> {
    const { id } = this.#ctx;
    const { streams, health, stopping } = this.#deps;
    if (stopping.aborted) return;
    if (this.#restart) health.restarted(id);
    const open = streams.get(id);
    if (!open) throw new Error(`no stream named ${id}`);
    try {
      this.#running = await open((error) => {
        if (!this.#done) this.#ctx.signal({ type: "failed", error });
      });
    } catch (error) {
      health.down(id, error);
      throw error;
    }
    if (this.#done || stopping.aborted) return await this.#close();
    health.up(id);
  }

  async receive(message: StreamMessage): Promise<void> {
    switch (message.type) {
      case "start":
        return;
      case "failed":
        if (this.#done) return;
        this.#deps.health.down(this.#ctx.id, message.error);
        throw message.error;
      case "pause":
        await this.#running?.pause?.();
        return message.replyTo();
      case "close":
        await this.#close();
        message.replyTo();
        return this.#ctx.stop();
    }
  }

  async onStop(): Promise<void> {
    await this.#close();
  }

  async #close(): Promise<void> {
    this.#done = true;
    const running = this.#running;
    this.#running = undefined;
    if (!running) return;
    let timer: number | undefined;
    const ms = this.#deps.closeTimeoutMs ?? 10_000;
    await Promise.race([
      running.close().catch(() => {}),
      new Promise((resolve) => timer = this.#ctx.clock.setTimeout(() => resolve(undefined), ms)),
    ]);
    if (timer !== undefined) this.#ctx.clock.clearTimeout(timer);
  }
}

/** Registers StreamActor: supervised with {@linkcode STREAM_SUPERVISION}. */
export function streamActorKind(deps: StreamActorDeps): ActorKind<StreamMessage> {
  const started = new Set<string>();
  return {
    create: (id, ctx) => {
      const restart = started.has(id);
      started.add(id);
      return new StreamActor(ctx, deps, restart);
    },
    mailbox: { capacity: 64, overflow: "reject" },
    supervision: STREAM_SUPERVISION,
  };
}
