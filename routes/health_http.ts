import { Hono } from "hono";

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
}

/** How long a dependency check may take before it counts as unreachable. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * `GET /healthz` (the process is up), `GET /readyz` (dependencies answer and every component
 * does its job; 503 names those that do not, with no error text), `GET /metrics`.
 */
export function healthHttpRoute(deps: HealthDeps): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const checks: Record<string, string> = {};
    await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        checks[name] = await _within(check(), CHECK_TIMEOUT_MS).then(
          () => "ok",
          () => "unreachable",
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
    return c.json({ ready, draining, down, checks, components }, ready ? 200 : 503);
  });
  app.get("/metrics", async (c) => {
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
