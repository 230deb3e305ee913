import type { Hono } from "hono";
import { DRIVER, driverActorKind } from "../actors/driver_actor.ts";
import type { DriverSocket } from "../actors/driver_protocol.ts";
import { CLOSE_CODES } from "../domain/close_codes.ts";
import { DEFAULT_FIX_RULES, maxFixAgeMs } from "../domain/fix_filter.ts";
import { orderEventOfDriver } from "../actors/order_actor.ts";
import type { Config } from "../infra/config.ts";
import { KafkaLocationPublisher } from "../infra/kafka/location_publisher.ts";
import { batchedLatest } from "../infra/postgres/batched_latest.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import { driverWsRoute } from "../routes/driver_ws.ts";
import type { SocketEnv } from "../routes/socket_admission.ts";
import type { Core } from "./core.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** The driver ingest, started. */
export interface DriverIngest {
  /** `GET /ws/driver`. */
  readonly routes: Hono<SocketEnv>;
  /** The newest fix this instance's actor of the driver accepted, if it has one. */
  latest(driverId: string): Promise<LocationRecord | undefined>;
  /** Publishes what was accepted (and acks it), then closes the producer. */
  closePublisher(): Promise<void>;
  /** Closes the open driver sockets with 1001. */
  closeSockets(): void;
}

/**
 * driver socket → DriverActor (validate, filter, seq, region) → KafkaLocationPublisher →
 * driver-locations, acks back once Kafka has the fix. A driver's `picked_up`/`delivered` frame goes
 * to the order's actor.
 */
export function startDriverIngest(
  config: Config,
  core: Core,
  infra: Infrastructure,
): DriverIngest {
  const { system, metrics } = core;
  const publisher = new KafkaLocationPublisher({
    kafka: infra.kafka,
    topic: config.LOCATIONS_TOPIC,
    metrics,
    health: core.health,
    graceMs: config.KAFKA_OUTAGE_GRACE_MS,
    maxQueued: config.KAFKA_OUTAGE_QUEUE,
    thread: config.KAFKA_PRODUCER_THREAD,
  });
  system.register(
    DRIVER,
    driverActorKind({
      publisher,
      regions: infra.regions,
      metrics,
      // One read for the drivers that connect within a few ms of each other (a ramp, a restart).
      lastStored: batchedLatest(infra.store),
      rules: {
        futureMarginMs: config.FUTURE_MARGIN_MS,
        maxSpeedMps: config.MAX_SPEED_MPS,
        speedRejectsBeforeReset: DEFAULT_FIX_RULES.speedRejectsBeforeReset,
        maxAgeMs: maxFixAgeMs(config.HISTORY_RETENTION_DAYS),
      },
      ackIntervalMs: config.ACK_INTERVAL_MS,
      idleMs: config.DRIVER_IDLE_MS,
      orderEvent: (orderId, command) => orderEventOfDriver(system, orderId, command),
    }),
  );
  const sockets = new Set<DriverSocket>();
  const routes = driverWsRoute({
    system,
    secret: config.JWT_SECRET,
    metrics,
    open: sockets,
    allowedOrigins: config.ALLOWED_ORIGINS,
    rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
    registry: core.sockets,
  });
  return {
    routes,
    latest: async (driverId) => {
      // Asking a driver that has no actor here would create one.
      if (!system.has(DRIVER, driverId)) return undefined;
      return await system.ref(DRIVER, driverId)
        .ask<LocationRecord | undefined>((replyTo) => ({ type: "latest", replyTo }));
    },
    closePublisher: () => publisher.close(),
    closeSockets: () => {
      for (const socket of sockets) socket.close(CLOSE_CODES.goingAway, "server shutting down");
    },
  };
}
