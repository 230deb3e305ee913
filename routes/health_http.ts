import { Hono } from "hono";

/** What the health routes need. */
export interface HealthDeps {
  /** Each check resolves when its dependency answers. */
  readonly checks: Record<string, () => Promise<void>>;
  /** Renders Prometheus text. */
  readonly metrics: () => Promise<string>;
  /** True once shutdown began: readiness fails so load balancers stop sending. */
  readonly draining: () => boolean;
}

/** `GET /healthz` (the process is up), `GET /readyz` (dependencies answer), `GET /metrics`. */
export function healthHttpRoute(deps: HealthDeps): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        try {
          await _within(check(), 3_000);
          results[name] = "ok";
        } catch (error) {
          results[name] = String((error as Error)?.message ?? error);
        }
      }),
    );
    const ready = !deps.draining() && Object.values(results).every((r) => r === "ok");
    return c.json({ ready, draining: deps.draining(), checks: results }, ready ? 200 : 503);
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
