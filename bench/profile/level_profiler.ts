import { shortUrl, takeCpuProfile } from "./cpu_profile.ts";
import { ProcSampler } from "../proc_sampler.ts";
import { perFixMicros, type ProfileNode, type Stage, stageShares } from "./stage_cpu.ts";

/** The service's CPU per stage at one level, from a CPU profile taken in its steady window. */
export interface ServiceStageCpu {
  /** seconds profiled, and the service's CPU seconds during the profile (from /proc) */
  profileSeconds: number;
  profileCpuSeconds: number;
  samples: number;
  /** samples of the inspector's own work, left out (they exist only while profiling) */
  inspectorSamples: number;
  share: Record<Stage | "shared", number>;
  /** what most of "shared" is: the sampled functions no stage claims */
  topShared: { fn: string; share: number }[];
  /** the service's CPU over the whole level less the inspector's estimated part */
  cpuSeconds: number;
  /** µs of CPU per fix and stage, the shared part spread pro rata */
  perFixUs: Partial<Record<Stage, number>>;
}

/**
 * Takes a CPU profile of one service instance (through its inspector) when the level's steady
 * window opens, and the service's CPU over the whole level from /proc; {@linkcode finish} splits
 * that CPU by stage in the proportions of the profile's samples (see `stageShares`).
 */
export class LevelProfiler {
  #inspect: string;
  #ms: number;
  #level: ProcSampler;
  #profile: Promise<{ nodes: ProfileNode[]; cpuSeconds: number }> | undefined;
  #during: ProcSampler;

  #saveAs: string | undefined;

  /**
   * Profiles the instance with inspector `inspect` for `seconds`; measures the tree of `pids`;
   * writes the raw profile to `saveAs` when given (open it in DevTools' Performance panel).
   */
  constructor(inspect: string, seconds: number, pids: number[], saveAs?: string) {
    this.#saveAs = saveAs;
    this.#inspect = inspect;
    this.#ms = seconds * 1000;
    this.#level = new ProcSampler(pids);
    this.#during = new ProcSampler(pids);
  }

  /** Starts the profile (once; call when the steady window opens). */
  start(): void {
    if (this.#profile) return;
    this.#during.reset();
    this.#profile = takeCpuProfile(this.#inspect, this.#ms).then(async (p) => {
      const cpuSeconds = this.#during.usage().cpuSeconds;
      if (this.#saveAs) await Deno.writeTextFile(this.#saveAs, JSON.stringify(p));
      return { nodes: p.nodes as ProfileNode[], cpuSeconds };
    });
  }

  /**
   * The per-stage split, once the level is over; `fixes` are the level's acked fixes (ingest,
   * live) and stored rows (history). Null when no profile was taken or it failed.
   */
  async finish(fixes: Partial<Record<Stage, number>>): Promise<ServiceStageCpu | null> {
    const levelCpu = this.#level.usage().cpuSeconds;
    const p = await this.#profile?.catch((error) => {
      console.error(`service CPU profile failed: ${(error as Error).message}`);
      return undefined;
    });
    if (!p) return null;
    const s = stageShares(p.nodes, shortUrl);
    const inspectorPart = s.inspectorSamples / Math.max(1, s.samples + s.inspectorSamples);
    const cpuSeconds = Math.max(0, levelCpu - p.cpuSeconds * inspectorPart);
    return {
      profileSeconds: this.#ms / 1000,
      profileCpuSeconds: Math.round(p.cpuSeconds * 100) / 100,
      samples: s.samples,
      inspectorSamples: s.inspectorSamples,
      share: s.share,
      topShared: s.topShared,
      cpuSeconds: Math.round(cpuSeconds * 100) / 100,
      perFixUs: perFixMicros(cpuSeconds, s.share, fixes),
    };
  }
}
