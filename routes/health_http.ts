import { Hono } from "hono";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { apiError } from "./api_error.ts";

/** What the health routes need. */
export interface HealthDeps {
  /** Each check resolves when its dependency answers (Kafka, PostgreSQL). */
  readonly checks: Record<string, () => Promise<void>>;
  /** The state of each long-lived component (Kafka clients, sinks): `ok` or `down`. */
  readonly components?: () => Record<string, "ok" | "down">;
  /** Renders Prometheus text. */
  readonly metrics: () => Promise<string>;
  /** True once shutdown began: readiness fails so load balancers stop sending. */
  readonly draining: () => boolean;
  /** When set, `GET /metrics` needs `Authorization: Bearer <metricsToken>` (`METRICS_TOKEN`). */
  readonly metricsToken?: string | undefined;
}

/** The answer of `GET /readyz`, 200 when `ready`, else 503. */
export const readinessSchema = z.object({
  ready: z.boolean(),
  draining: z.boolean().meta({ description: "Shutdown began." }),
  down: z.array(z.string()).meta({ description: "Checks and components that are not ok." }),
  checks: z.record(z.string(), z.enum(["ok", "unreachable"])),
  components: z.record(z.string(), z.enum(["ok", "down"])),
});

/** The answer of `GET /healthz`. */
export const livenessSchema = z.object({ status: z.literal("ok") });

/** How long a dependency check may take before it counts as unreachable. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * `GET /healthz` (the process is up), `GET /readyz` (dependencies answer and every component
 * does its job; 503 names those that do not, with no error text), `GET /metrics` (open, or
 * behind a bearer token when `metricsToken` is set: 401 `metrics_unauthorized`).
 */
export function healthHttpRoute(deps: HealthDeps): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json<z.infer<typeof livenessSchema>>({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const checks: Record<string, "ok" | "unreachable"> = {};
    await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        checks[name] = await _within(check(), CHECK_TIMEOUT_MS).then(
          () => "ok" as const,
          () => "unreachable" as const,
        );
      }),
    );
    const components = deps.components?.() ?? {};
    const down = [
      ...Object.keys(checks).filter((name) => checks[name] !== "ok"),
      ...Object.keys(components).filter((name) => components[name] !== "ok"),
    ];
    const draining = deps.draining();
    const ready = !draining && down.length === 0;
    const answer: z.infer<typeof readinessSchema> = { ready, draining, down, checks, components };
    return c.json(answer, ready ? 200 : 503);
  });
  app.get("/metrics", async (c) => {
    if (deps.metricsToken !== undefined) {
      _checkMetricsToken(c.req.header("Authorization"), deps.metricsToken);
    }
    c.header("Content-Type", "text/plain; version=0.0.4");
    return c.body(await deps.metrics());
  });
  return app;
}

async function _within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function _checkMetricsToken(header: string | undefined, expected: string): void {
  const given = new TextEncoder().encode(/^Bearer +(\S+) *$/i.exec(header ?? "")?.[1] ?? "");
  const wanted = new TextEncoder().encode(expected);
  if (given.length === wanted.length && timingSafeEqual(given, wanted)) return;
  throw apiError(
    401,
    "metrics_unauthorized",
    "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>",
    {
      headers: {
        "WWW-Authenticate": header === undefined
          ? 'Bearer realm="metrics"'
          : 'Bearer realm="metrics", error="invalid_token", error_description="wrong metrics token"',
      },
    },
  );
}
