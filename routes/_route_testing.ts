import type { Order } from "../domain/order.ts";
import { type Env, Hono } from "hono";
import { sign } from "hono/jwt";
import { driversHttpRoute } from "./drivers_http.ts";
import { handleApiErrors } from "./error_handling.ts";

/** The secret of route tests' tokens. */
export const TEST_SECRET = "route-test-secret-0123456789abcdef";

/** A bearer header for `role`/`sub`, valid for ten minutes. */
export async function bearer(role: string, sub: string): Promise<Record<string, string>> {
  const exp = Math.floor(Date.now() / 1000) + 600;
  return { Authorization: `Bearer ${await sign({ sub, role, exp }, TEST_SECRET, "HS256")}` };
}

/** A route mounted as the service mounts it, with the service's error handling. */
export function mounted<E extends Env>(route: Hono<E>): Hono {
  const app = new Hono();
  app.route("/", route);
  handleApiErrors(app, { log: () => {} });
  return app;
}

/** Status and parsed JSON body of a response. */
export async function answer(res: Response | Promise<Response>) {
  const r = await res;
  // deno-lint-ignore no-explicit-any
  const body: any = await r.json();
  return { status: r.status, body, headers: r.headers };
}

/** The `/drivers/:id/...` routes on stores that hold nothing, signed with `secret`. */
export function emptyDriversRoute(
  secret: string = TEST_SECRET,
): ReturnType<typeof driversHttpRoute> {
  return driversHttpRoute({
    secret,
    store: { history: () => Promise.resolve([]) },
    cursor: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
    latestPosition: () => Promise.resolve(undefined),
  });
}

/** An assigned order of restaurant r1, customer c1 and driver d1, as the order route tests use. */
export const TEST_ORDER: Order = {
  id: "o1",
  restaurantId: "r1",
  customerId: "c1",
  driverId: "d1",
  pickup: { lat: 12.93, lon: 77.6 },
  dropoff: { lat: 12.95, lon: 77.6 },
  status: "assigned",
  createdAt: 1,
  updatedAt: 1,
};

/** The body of `POST /orders` that creates {@linkcode TEST_ORDER}'s like. */
export const NEW_ORDER = {
  restaurantId: "r1",
  customerId: "c1",
  pickup: TEST_ORDER.pickup,
  dropoff: TEST_ORDER.dropoff,
} as const;
