/** CPU times, parent, name and resident memory of a process, from `/proc/<pid>/stat`. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** the command name, as in `/proc/<pid>/comm` */
  comm: string;
  /** user + system CPU time in clock ticks */
  ticks: number;
  /** resident set size, KiB (4 KiB pages) */
  rssKiB: number;
}

/** Parses `/proc/<pid>/stat` (the command name may contain spaces and parentheses). */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("("), close = text.lastIndexOf(")");
  const pid = Number(text.slice(0, text.indexOf(" ")));
  // Fields after ")" start at field 3 (state); ppid is field 4, utime 14, stime 15, rss 24.
  const f = text.slice(close + 2).trim().split(/\s+/);
  return {
    pid,
    ppid: Number(f[1]),
    comm: text.slice(open + 1, close),
    ticks: Number(f[11]) + Number(f[12]),
    rssKiB: Number(f[21] ?? 0) * 4,
  };
}

/** Every process of the machine now, from `/proc/<pid>/stat` (one that just exited is left out). */
export function processTable(): ProcStat[] {
  const all: ProcStat[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const text = readProcText(`/proc/${e.name}/stat`);
    if (text) all.push(parseProcStat(text));
  }
  return all;
}

/** A `/proc` file's text, or "" when it cannot be read (the process has gone). */
export function readProcText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/** CPU use and memory of a process tree over a measurement. */
export interface ProcUsage {
  cpuSeconds: number;
  /** average CPU over the measurement, percent of one core */
  cpuPercent: number;
  /** highest summed resident set size seen, MiB */
  peakRssMiB: number;
  /** summed resident set size when the measurement started, MiB */
  startRssMiB: number;
  seconds: number;
}

/** Clock ticks per second (`getconf CLK_TCK`), 100 on Linux. */
const TICKS = 100;

/**
 * Samples CPU time and resident memory of processes and all their descendants (the service
 * instances started through `bash -c ... exec deno`, or through npx) from /proc, for the bench;
 * CPU and memory are the sums over them.
 * Call {@linkcode ProcSampler.sample} about once a second; memory peaks between samples are
 * caught by each process's VmHWM.
 */
export class ProcSampler {
  #pids: number[];
  #t0 = performance.now();
  #ticks0: number;
  #peakRss = 0;
  #startRss = 0;
  #lastTicks: number;

  constructor(pids: number[]) {
    this.#pids = pids;
    this.#ticks0 = this.#lastTicks = this.#tree().reduce((s, p) => s + p.ticks, 0);
    this.#startRss = this.sample();
  }

  /** Takes one sample; returns the tree's RSS now, MiB. */
  sample(): number {
    const tree = this.#tree();
    let rss = 0;
    let hwm = 0;
    for (const p of tree) {
      const status = readProcText(`/proc/${p.pid}/status`);
      rss += _kb(status, "VmRSS");
      hwm = Math.max(hwm, _kb(status, "VmHWM"));
    }
    if (tree.length) this.#lastTicks = tree.reduce((s, p) => s + p.ticks, 0);
    this.#peakRss = Math.max(this.#peakRss, rss / 1024, hwm / 1024);
    return rss / 1024;
  }

  /** Usage since construction (or the last {@linkcode ProcSampler.reset}). */
  usage(): ProcUsage {
    this.sample();
    const seconds = (performance.now() - this.#t0) / 1000;
    const cpuSeconds = (this.#lastTicks - this.#ticks0) / TICKS;
    return {
      cpuSeconds,
      cpuPercent: seconds > 0 ? (100 * cpuSeconds) / seconds : 0,
      peakRssMiB: Math.round(this.#peakRss),
      startRssMiB: Math.round(this.#startRss),
      seconds,
    };
  }

  /** Starts a new measurement (the peak RSS restarts from the current RSS). */
  reset(): void {
    this.#t0 = performance.now();
    this.#ticks0 = this.#lastTicks = this.#tree().reduce((s, p) => s + p.ticks, 0);
    this.#peakRss = 0;
    this.#peakRss = this.#startRss = this.sample();
  }

  #tree(): ProcStat[] {
    const all = processTable();
    const out: ProcStat[] = [];
    const want = new Set(this.#pids);
    // Parents precede children often but not always: iterate until no more are found.
    for (let grew = true; grew;) {
      grew = false;
      for (const p of all) {
        if ((want.has(p.pid) || want.has(p.ppid)) && !out.includes(p)) {
          want.add(p.pid);
          out.push(p);
          grew = true;
        }
      }
    }
    return out;
  }
}

function _kb(status: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status);
  return m ? Number(m[1]) : 0;
}
