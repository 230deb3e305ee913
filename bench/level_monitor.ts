import type { LevelContext } from "./bench_level.ts";
import { driverSocketsIn, scrapeWorkers } from "./open_sockets.ts";
import {
  formatLoopLag,
  type LoopLag,
  loopLagBetween,
  type LoopLagTotals,
  parseLoopLag,
} from "./loop_lag.ts";
import { ProcSampler, type ProcUsage } from "./proc_sampler.ts";
import {
  formatMachineUsage,
  type MachineSampler,
  type MachineSnapshot,
  type MachineUsage,
  machineUsage,
} from "./machine_sampler.ts";
import { formatProgress } from "../sim/sim_report.ts";
import type { SimCounters } from "../sim/sim_stats.ts";
import type { SimPhase } from "../sim/simulation.ts";

/** One sample of a level, taken at a simulator tick. */
export interface LevelSample {
  /** when, `performance.now()` */
  t: number;
  phase: SimPhase;
  /** rows inserted into driver_locations so far (pg_stat; 0 without a history table) */
  rows: number;
  /** CPU seconds of the service processes so far (0 when the bench did not start them) */
  cpu: number;
}

/**
 * Watches one load level at each tick of the simulator (about once a second): prints a progress
 * line, calls `onSteady` once the steady window opens, samples the service's CPU and PostgreSQL's
 * insert count, and every 5 s the instances' own count of driver sockets and their event-loop lag
 * (`tracking_event_loop_lag_seconds`) and, when given a {@linkcode MachineSampler}, how the
 * machine is shared (service, simulator, broker, ...).
 */
export class LevelMonitor {
  /** The samples so far; one whose insert count is still being read lands when it answers. */
  readonly samples: LevelSample[] = [];
  readonly #name: string;
  readonly #bases: URL[];
  readonly #ctx: Pick<LevelContext, "onSteady" | "history">;
  readonly #sampler: ProcSampler | undefined;
  readonly #t0: number;
  #prev: SimCounters | undefined;
  #prevAt: number;
  #serverPeak: number | null = null;
  #sampling: Promise<void> | undefined;
  #sampledAt: number;
  #steadySeen = false;
  readonly #machine: MachineSampler | undefined;
  /** the machine's first and latest snapshots in the steady window */
  #steadyMachine: [MachineSnapshot, MachineSnapshot] | undefined;
  /** the service processes' first and latest event-loop lag totals in the steady window */
  #steadyLag: [_LagScrape, _LagScrape] | undefined;

  /** Level `name` of the service at `bases`; starts sampling the CPU of `ctx.servicePids`. */
  constructor(
    name: string,
    bases: URL[],
    ctx: Pick<LevelContext, "onSteady" | "history" | "servicePids">,
    machine?: MachineSampler,
  ) {
    this.#name = name;
    this.#machine = machine;
    this.#bases = bases;
    this.#ctx = ctx;
    this.#sampler = ctx.servicePids?.length ? new ProcSampler(ctx.servicePids) : undefined;
    const t0 = performance.now();
    this.#t0 = t0;
    this.#prevAt = t0;
    this.#sampledAt = t0;
  }

  /** One tick of the simulator: its summed counters and the fleet's phase. */
  tick(c: SimCounters, phase: SimPhase): void {
    const now = performance.now();
    if (this.#prev) {
      console.error(
        `${this.#name} ${phase.padEnd(6)} ${
          formatProgress(this.#prev, c, (now - this.#prevAt) / 1000, (now - this.#t0) / 1000)
        }`,
      );
    }
    this.#prev = c;
    this.#prevAt = now;
    if (phase === "steady" && !this.#steadySeen) {
      this.#steadySeen = true;
      this.#ctx.onSteady?.();
    }
    if (!this.#sampling && now - this.#sampledAt >= 5000) {
      this.#sampledAt = now;
      this.#sampleMachine(phase);
      this.#sampling = scrapeWorkers(this.#bases).then((pages) => {
        if (pages !== null) this.#scraped(pages, phase, now);
        this.#sampling = undefined;
      });
    }
    this.#sample(phase);
  }

  /** Waits for the socket count under way, if any. */
  async settle(): Promise<void> {
    await this.#sampling;
  }

  /** The most driver sockets the instances held at once by their own count; null if unknown. */
  get serverPeak(): number | null {
    return this.#serverPeak;
  }

  /**
   * How the machine was shared over the steady window (between its first and last 5 s samples);
   * undefined without a machine sampler or a window of two samples.
   */
  machine(): MachineUsage | undefined {
    const w = this.#steadyMachine;
    return w && w[1].at > w[0].at ? machineUsage(w[0], w[1]) : undefined;
  }

  /**
   * The service's event-loop lag over the steady window (between its first and last 5 s scrapes),
   * summed over its processes; undefined without a window of two scrapes or the metric.
   */
  loopLag(): LoopLag | undefined {
    const w = this.#steadyLag;
    return w && loopLagBetween(w[0].totals, w[1].totals, (w[1].at - w[0].at) / 1000);
  }

  /** {@linkcode LevelMonitor.machine} and {@linkcode LevelMonitor.loopLag}, each printed too. */
  windowReport(): { machine: MachineUsage | undefined; loopLag: LoopLag | undefined } {
    const [machine, loopLag] = [this.machine(), this.loopLag()];
    const over = `${this.#name} %s over the steady window: %s`;
    if (machine) console.error(over, "machine", formatMachineUsage(machine));
    if (loopLag) console.error(over, "service event loop", formatLoopLag(loopLag));
    return { machine, loopLag };
  }

  #scraped(pages: ReadonlyMap<string, string>, phase: SimPhase, at: number): void {
    this.#serverPeak = Math.max(this.#serverPeak ?? 0, driverSocketsIn(pages));
    if (phase !== "steady") return;
    const totals = new Map<string, LoopLagTotals>();
    for (const [key, page] of pages) {
      const lag = parseLoopLag(page);
      if (lag) totals.set(key, lag);
    }
    const scrape = { at, totals };
    this.#steadyLag = [this.#steadyLag?.[0] ?? scrape, scrape];
  }

  #sampleMachine(phase: SimPhase): void {
    if (!this.#machine || phase !== "steady") return;
    const snap = this.#machine.sample();
    this.#steadyMachine = [this.#steadyMachine?.[0] ?? snap, snap];
  }

  /** The service's CPU and memory since the start, when the bench started it. */
  usage(): ProcUsage | undefined {
    return this.#sampler?.usage();
  }

  #sample(phase: SimPhase): void {
    const cpu = this.#sampler?.usage().cpuSeconds ?? 0;
    const at = performance.now();
    if (this.#ctx.history) {
      this.#ctx.history.inserted()
        .then((rows) => this.samples.push({ t: at, phase, rows, cpu }))
        .catch(() => {});
    } else this.samples.push({ t: at, phase, rows: 0, cpu });
  }
}

/** One scrape's lag totals, by process, and when (`performance.now()`). */
interface _LagScrape {
  readonly at: number;
  readonly totals: ReadonlyMap<string, LoopLagTotals>;
}
