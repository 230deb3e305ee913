import { Admin } from "@platformatic/kafka";
import postgres from "postgres";
import { type LevelContext, type LevelResult, type LevelSpec, runLevel } from "./bench_level.ts";
import { defaultBrokers, ensureTopic } from "./ensure_topic.ts";
import { HistoryRows } from "./history_rows.ts";
import { ProcSampler, type ProcUsage } from "./proc_sampler.ts";
import type { Stage } from "./profile/stage_cpu.ts";
import { type StageProcess, startStage } from "./stage_process.ts";

/** The baselines the bench runs beside the service. */
export type PipelineKind = "floor" | "naive";

/** CPU and memory of one baseline stage process over a whole level (ramp-up to drain). */
export interface StageUsage {
  stage: Stage;
  cpuSeconds: number;
  peakRssMiB: number;
  /** RSS when the level started, before the drivers connected */
  startRssMiB: number;
  /** fixes the stage handled: acked (ingest, live) or stored rows (history) */
  fixes: number;
  /** cpuSeconds / fixes, µs */
  perFixUs: number | null;
}

/** A level of a baseline pipeline: what the service's level has, plus each stage's CPU. */
export interface PipelineLevelResult extends LevelResult {
  pipeline: PipelineKind;
  /** CPU seconds of all its processes over the whole level (ramp-up to the end of the drain) */
  cpuSeconds: number;
  stages: StageUsage[];
  /** why the pipeline has no viewer latency, when it has none */
  viewerNote?: string;
}

/** What a baseline level needs from the bench. */
export type PipelineContext = Omit<LevelContext, "url" | "history" | "topic" | "group"> & {
  databaseUrl: string;
};

const _SCRIPTS: Record<PipelineKind, Partial<Record<Stage, URL>>> = {
  floor: {
    ingest: new URL("./baselines/floor_ingest.ts", import.meta.url),
    history: new URL("./baselines/floor_writer.ts", import.meta.url),
    live: new URL("./baselines/floor_tailer.ts", import.meta.url),
  },
  naive: {
    ingest: new URL("./baselines/naive_pipeline.ts", import.meta.url),
    history: new URL("./baselines/naive_pipeline_writer.ts", import.meta.url),
  },
};

/**
 * Runs one level against a baseline pipeline: a topic, a table and consumer groups of its own,
 * one process per stage (the floor's live stage only with viewers), the same simulator and
 * measurements as the service's level ({@linkcode runLevel}), and each process's CPU from /proc
 * over the whole level. Topic, groups and table are removed afterwards.
 */
export async function runPipelineLevel(
  kind: PipelineKind,
  spec: LevelSpec,
  ctx: PipelineContext,
): Promise<PipelineLevelResult> {
  const id = `${ctx.prefix}-${kind}-${spec.name}`.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  const topic = `bench-${id}`, group = `${id}-writer`, table = `bench_${id}`;
  const sql = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} });
  await createBaselineTable(sql, table);
  await ensureTopic(topic, { partitions: 3 });
  const history = new HistoryRows(ctx.databaseUrl, table);
  const viewers = kind === "floor" ? ctx.viewers ?? 0 : 0;
  const stages: StageProcess[] = [];
  try {
    await _startStages(kind, { topic, group, table, id, ctx, live: viewers > 0 }, stages);
    const samplers = stages.map((s) => new ProcSampler([s.pid]));
    const live = stages.find((s) => s.name === "live");
    const level = await runLevel(spec, {
      ...ctx,
      viewers,
      url: `http://127.0.0.1:${stages[0]!.port}`,
      ...(live ? { viewerUrl: `http://127.0.0.1:${live.port}` } : {}),
      servicePids: stages.map((s) => s.pid),
      history,
      topic,
      group,
    });
    const usages = samplers.map((s) => s.usage());
    // A writer that commits before it inserts (the naive one) reaches lag 0 with its last rows
    // still buffered for up to its 1 s flush: give it 3 s more before the rows count.
    const end = performance.now() + 3000;
    while ((level.storedRows ?? 0) < level.sim.acked && performance.now() < end) {
      await new Promise((r) => setTimeout(r, 250));
      level.storedRows = await history.countPrefix(`${ctx.prefix}-${spec.name}`).catch(() => null);
    }
    const result: PipelineLevelResult = {
      ...level,
      pipeline: kind,
      cpuSeconds: _r(usages.reduce((s, u) => s + u.cpuSeconds, 0)),
      stages: stages.map((s, i) => _stageUsage(s.name as Stage, usages[i]!, level)),
    };
    if (kind === "naive" && (ctx.viewers ?? 0) > 0) {
      result.viewerNote = "n/a: the tutorial pipeline has no path from Kafka to a viewer";
    }
    return result;
  } finally {
    await Promise.all(stages.map((s) => s.stop()));
    await history.close();
    await sql`DROP TABLE IF EXISTS ${sql(table)}`.catch(() => {});
    await sql.end({ timeout: 5 });
    await dropTopic(topic, [group, `${id}-tailer`]);
  }
}

/** Starts the stage processes of `kind` into `stages` (ingest first), as far as they start. */
async function _startStages(
  kind: PipelineKind,
  o: {
    topic: string;
    group: string;
    table: string;
    id: string;
    ctx: PipelineContext;
    live: boolean;
  },
  stages: StageProcess[],
): Promise<void> {
  const scripts = _SCRIPTS[kind];
  const common = [`--topic=${o.topic}`, `--brokers=${defaultBrokers().join(",")}`];
  stages.push(await startStage("ingest", scripts.ingest!, common));
  stages.push(
    await startStage("history", scripts.history!, [
      ...common,
      `--group=${o.group}`,
      `--table=${o.table}`,
      `--database-url=${o.ctx.databaseUrl}`,
    ]),
  );
  if (o.live && scripts.live) {
    stages.push(await startStage("live", scripts.live, [...common, `--group=${o.id}-tailer`]));
  }
}

/** A stage's CPU per fix: acked fixes for ingest and live view, stored rows for history. */
function _stageUsage(stage: Stage, u: ProcUsage, level: LevelResult): StageUsage {
  const fixes = stage === "history" ? level.storedRows ?? 0 : level.sim.acked;
  return {
    stage,
    cpuSeconds: _r(u.cpuSeconds),
    peakRssMiB: u.peakRssMiB,
    startRssMiB: u.startRssMiB,
    fixes,
    perFixUs: fixes > 0 ? _r((u.cpuSeconds / fixes) * 1e6) : null,
  };
}

/** Creates a baseline's history table: the service's columns that a bare pipeline has. */
export async function createBaselineTable(sql: postgres.Sql, table: string): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS ${sql(table)} (
    driver_id text NOT NULL, ts bigint NOT NULL, lat double precision NOT NULL,
    lon double precision NOT NULL, speed real, heading real, accuracy real,
    received_at bigint NOT NULL, PRIMARY KEY (driver_id, ts))`;
}

/** Deletes a topic and consumer groups (best effort: a failure is logged, not thrown). */
export async function dropTopic(topic: string, groups: string[] = []): Promise<void> {
  const admin = new Admin({ clientId: "bench-cleanup", bootstrapBrokers: defaultBrokers() });
  try {
    await admin.deleteTopics({ topics: [topic] });
    if (groups.length) await admin.deleteGroups({ groups }).catch(() => {});
  } catch (error) {
    console.error(`could not delete topic ${topic}: ${(error as Error).message}`);
  } finally {
    await admin.close();
  }
}

function _r(v: number): number {
  return Math.round(v * 100) / 100;
}
