import { MACHINE_ROLES, type MachineRole, machineRoles } from "./machine_roles.ts";
import { processTable, readProcText } from "./proc_sampler.ts";

/** One role's share of the machine between two snapshots. */
export interface RoleUsage {
  /** CPU, percent of one core */
  cpuPercent: number;
  /**
   * the role's summed memory at its highest sample, MiB: proportional set size (a page shared by
   * several processes, as PostgreSQL's shared buffers, counts once, split between them)
   */
  peakPssMiB: number;
}

/** How the machine was used between two {@linkcode MachineSnapshot}s. */
export interface MachineUsage {
  seconds: number;
  cores: number;
  /** every CPU's busy time (not idle, not waiting on I/O), percent of one core: at most cores × 100 */
  busyPercent: number;
  /** time the hypervisor gave to other guests, percent of one core */
  stealPercent: number;
  roles: Record<MachineRole, RoleUsage>;
}

/** The machine's counters at one moment (CPU ticks since the sampler started). */
export interface MachineSnapshot {
  at: number;
  /** `/proc/stat`'s all-CPU ticks: total, idle (with I/O wait), steal */
  cpu: { total: number; idle: number; steal: number };
  /** CPU ticks per role since the sampler started */
  ticks: Record<MachineRole, number>;
  /** each role's highest summed proportional set size so far, MiB */
  peakPssMiB: Record<MachineRole, number>;
}

/**
 * Samples every process of the machine by role ({@linkcode machineRoles}): CPU ticks since the
 * sampler started (a process that starts later counts from its start; one that exits keeps what
 * it had at the last sample) and each role's summed memory (proportional set size). Call {@linkcode MachineSampler.sample}
 * every few seconds; {@linkcode machineUsage} turns two snapshots into shares of the machine.
 */
export class MachineSampler {
  readonly #who: { servicePids: readonly number[]; benchPid: number };
  readonly #lastTicks = new Map<number, number>();
  readonly #ticks = _zeros();
  readonly #peak = _zeros();

  constructor(servicePids: readonly number[]) {
    this.#who = { servicePids, benchPid: Deno.pid };
    for (const p of processTable()) this.#lastTicks.set(p.pid, p.ticks);
  }

  /** Reads `/proc` once and returns the counters so far. */
  sample(): MachineSnapshot {
    const procs = _processes();
    const roles = machineRoles(procs, this.#who);
    const pss = _zeros();
    for (const p of procs) {
      const role = roles.get(p.pid) ?? "other";
      this.#ticks[role] += p.ticks - (this.#lastTicks.get(p.pid) ?? 0);
      this.#lastTicks.set(p.pid, p.ticks);
      pss[role] += _pssKiB(p.pid, p.rssKiB) / 1024;
    }
    for (const role of MACHINE_ROLES) this.#peak[role] = Math.max(this.#peak[role], pss[role]);
    return {
      at: performance.now(),
      cpu: _cpuTicks(),
      ticks: { ...this.#ticks },
      peakPssMiB: { ...this.#peak },
    };
  }
}

/** The machine's use from snapshot `a` to the later `b`; peaks are those of `b` (since start). */
export function machineUsage(a: MachineSnapshot, b: MachineSnapshot): MachineUsage {
  const seconds = (b.at - a.at) / 1000;
  const total = b.cpu.total - a.cpu.total;
  const busy = total - (b.cpu.idle - a.cpu.idle);
  const cores = navigator.hardwareConcurrency;
  // Every figure is a share of all CPUs' ticks over the interval, in % of one core, not of the
  // wall clock: ticks come in hundredths of a second, so over a short interval the wall clock
  // could read above cores × 100, and a role above the machine's busy time.
  const share = (ticks: number) => total > 0 ? Math.round((1000 * ticks * cores) / total) / 10 : 0;
  const roles = {} as Record<MachineRole, RoleUsage>;
  for (const role of MACHINE_ROLES) {
    roles[role] = {
      cpuPercent: share(b.ticks[role] - a.ticks[role]),
      peakPssMiB: Math.round(b.peakPssMiB[role]),
    };
  }
  return {
    seconds: Math.round(seconds * 10) / 10,
    cores,
    busyPercent: share(busy),
    stealPercent: share(b.cpu.steal - a.cpu.steal),
    roles,
  };
}

/** One line: the machine's busy share, then each role's CPU and peak RSS. */
export function formatMachineUsage(m: MachineUsage): string {
  const roles = Object.entries(m.roles).map(([role, u]) =>
    `${role} ${u.cpuPercent}% ${u.peakPssMiB} MiB`
  );
  return `busy ${m.busyPercent}% of ${m.cores * 100}% (steal ${m.stealPercent}%); ${
    roles.join(", ")
  }`;
}

function _zeros(): Record<MachineRole, number> {
  return Object.fromEntries(MACHINE_ROLES.map((r) => [r, 0])) as Record<MachineRole, number>;
}

/** Every process now, with its command line (NUL-separated arguments joined by spaces). */
function _processes() {
  return processTable().map((p) => ({
    ...p,
    cmdline: readProcText(`/proc/${p.pid}/cmdline`).replaceAll("\0", " "),
  }));
}

/** A process's proportional set size (`smaps_rollup`), else `rssKiB` when that is unreadable. */
function _pssKiB(pid: number, rssKiB: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readProcText(`/proc/${pid}/smaps_rollup`));
  return m ? Number(m[1]) : rssKiB;
}

/** `/proc/stat`'s first line: all CPUs' ticks in total, idle (idle + iowait) and steal. */
function _cpuTicks(): MachineSnapshot["cpu"] {
  const line = readProcText("/proc/stat").split("\n", 1)[0] ?? "";
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
  return { total, idle: (v[3] ?? 0) + (v[4] ?? 0), steal: v[7] ?? 0 };
}
