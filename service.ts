import { latestPosition } from "./actors/latest_position.ts";
import type { Config } from "./infra/config.ts";
import { DEAD_LETTER_SUMMARY, RejectedFramesSummary } from "./infra/rejected_frames_summary.ts";
import { type Core, startCore } from "./pipelines/core.ts";
import { type DriverIngest, startDriverIngest } from "./pipelines/driver_ingest.ts";
import { type FleetAndPages, startFleetAndPages } from "./pipelines/fleet_and_pages.ts";
import { type HistoryPipeline, startHistoryPipeline } from "./pipelines/history_pipeline.ts";
import { composeHttpApp, serveHttp } from "./pipelines/http_app.ts";
import type { NodeHttpServer } from "./infra/http/node_http_server.ts";
import { type Infrastructure, startInfrastructure } from "./pipelines/infrastructure.ts";
import { type LiveFanout, startLiveFanout } from "./pipelines/live_fanout.ts";
import { orderedShutdown, type ShutdownStage } from "./pipelines/ordered_shutdown.ts";
import { type OrderEvents, startOrderEvents } from "./pipelines/order_events.ts";
import { type PhoneIngest, startPhoneIngest } from "./pipelines/phone_ingest.ts";
import { startStorageRetention } from "./pipelines/storage_retention.ts";
import { startZones, type Zones } from "./pipelines/zones.ts";
import { locationJudges } from "./pipelines/location_judges.ts";
import { type EventLoopLagWatch, watchEventLoopLag } from "./infra/event_loop_lag.ts";

/** A running service instance. */
export interface Service {
  /** The port it listens on (useful with `PORT=0`). */
  readonly port: number;
  /** The `OSMAND_PORT` it listens on for phone apps, when set. */
  readonly osmandPort: number | undefined;
  /** Every route of the app (middleware too), as hono lists them: the API documents cover these. */
  readonly routes: readonly { readonly method: string; readonly path: string }[];
  /** Drains and stops: see {@linkcode startService}. */
  close(): Promise<void>;
}

/**
 * Starts the infrastructure, then each pipeline in the order data flows through them
 * (docs/architecture.md), composes the HTTP app and serves it.
 * `close()` drains: refuse new work, publish what was accepted, ack it, flush and commit the
 * history, close driver sockets with 1001, then stop every client.
 */
export async function startService(config: Config): Promise<Service> {
  const infra = await startInfrastructure(config);
  const core = startCore(config);
  const p = await _startPipelines(config, core, infra);
  const app = composeHttpApp(config, core, infra, {
    driverRoutes: p.ingest.routes,
    orderRoutes: p.orders.routes,
    zoneRoutes: p.zones.routes,
    viewerRoutes: p.live.routes,
    viewRoutes: p.views.routes,
    phoneRoutes: p.phones.routes,
    nearby: p.views.nearby,
    latestPosition: p.latest,
  });
  const server = await serveHttp(config, core, app);
  const osmandPort = await p.phones.listen();
  const summaries = await _startSummaries(core);
  const lag = watchEventLoopLag({ observe: (s) => core.metrics.eventLoopLag.observe(s) });
  return {
    port: server.port,
    osmandPort,
    routes: app.routes.map(({ method, path }) => ({ method, path })),
    close: orderedShutdown(
      config.SHUTDOWN_GRACE_MS,
      core.stop,
      _shutdownStages({ ...p, core, infra, server, summaries, lag }),
    ),
  };
}

/**
 * Each pipeline, in the order data flows through them (docs/architecture.md), but the regional
 * consumer (history and the judges) last, once its judges' actor kinds are registered.
 */
async function _startPipelines(config: Config, core: Core, infra: Infrastructure) {
  const ingest = startDriverIngest(config, core, infra);
  const phones = startPhoneIngest(config, core, infra);
  const live = startLiveFanout(config, core, infra);
  /** The newest fix known: this instance's driver actor, its live views, then stored. */
  const latest = latestPosition({
    own: ingest.latest,
    live: live.latest,
    stored: (driverId) => infra.store.latest(driverId),
  });
  const views = await startFleetAndPages({
    config,
    ...core,
    kafka: infra.kafka,
    sql: infra.sql,
    latestPosition: latest,
    onFixes: live.fixes,
  });
  const orders = startOrderEvents(config, core, infra, {
    router: live.router,
    latestPosition: latest,
    onOrder: (order) => views.orderChanged(order),
  });
  const zones = await startZones(config, core, infra, {
    orderEvents: orders.events,
    onZoneEvent: (event) => views.zoneEvent(event),
  });
  // Last: its judges (the notifier, registered with the orders, and the zone judge) must exist.
  const history = _startHistory(config, core, infra);
  return { ingest, phones, history, live, latest, views, orders, zones };
}

/**
 * Storage retention (which creates day partitions on demand), then the regional consumer: the
 * history writer on it, and the location judges.
 */
function _startHistory(config: Config, core: Core, infra: Infrastructure): HistoryPipeline {
  const retention = startStorageRetention({
    config,
    system: core.system,
    sql: infra.sql,
    metrics: core.metrics,
  });
  return startHistoryPipeline({
    config,
    ...core,
    kafka: infra.kafka,
    store: retention.historyWriter,
    judges: locationJudges(core.system),
  });
}

/** The per-minute log summaries: rejected frames, and dead letters by topic. */
async function _startSummaries(core: Core): Promise<RejectedFramesSummary[]> {
  const summaries = [
    new RejectedFramesSummary(core.metrics.fixesRejected),
    new RejectedFramesSummary(core.metrics.deadLetters, DEAD_LETTER_SUMMARY),
  ];
  for (const summary of summaries) await summary.start();
  return summaries;
}

/** What {@linkcode startService} started, as its shutdown stops it. */
interface _Running {
  readonly core: Core;
  readonly infra: Infrastructure;
  readonly ingest: DriverIngest;
  readonly phones: PhoneIngest;
  readonly history: HistoryPipeline;
  readonly live: LiveFanout;
  readonly orders: OrderEvents;
  readonly zones: Zones;
  readonly views: FleetAndPages;
  readonly server: NodeHttpServer;
  /** The per-minute log summaries: rejected frames, dead letters. */
  readonly summaries: readonly RejectedFramesSummary[];
  /** The event loop's lag, sampled into `tracking_event_loop_lag_seconds`. */
  readonly lag: EventLoopLagWatch;
}

/**
 * The stages of `close()`, in order: the log summaries and the lag watch; the regional consumer's
 * pause (nothing more is read for history or the judges); the zones; the live views, orders, fleet
 * and pages; the history drain; the location producer (what was accepted is published and acked);
 * the actors; the driver sockets (1001); the HTTP servers; the infrastructure.
 */
function _shutdownStages(r: _Running): ShutdownStage[] {
  return [
    (step) =>
      step("log summaries", () => {
        r.lag.stop();
        return Promise.all(r.summaries.map((s) => s.stop()));
      }),
    (step) => step("regional consumer pause", () => r.history.pause()),
    (step) => step("zones", () => r.zones.close()),
    (step) => step("live tracking", () => Promise.all([r.live.close(), r.orders.close()])),
    (step) => step("fleet and pages", () => r.views.close()),
    (step) => r.history.drain(step),
    (step) => step("location producer", () => r.ingest.closePublisher()),
    (step) => step("actors", () => r.core.system.shutdown()),
    () => r.ingest.closeSockets(),
    (step) =>
      step("http server", () => Promise.all([r.server.shutdown(), r.phones.close()]), 1_000),
    (step) => r.infra.close(step),
  ];
}
