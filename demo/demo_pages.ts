import type { JwtSigner } from "../sim/jwt_signer.ts";

/** The four pages of a running demo, each with a token for the role it needs. */
export interface DemoPageUrls {
  /** `/` as ops: the fleet map */
  fleet: string;
  /** `/track/<orderId>` as the order's customer */
  track: string;
  /** `/restaurant/<id>` as that restaurant */
  restaurant: string;
  /** `/replay` as ops, opened on the order's driver */
  replay: string;
}

/**
 * The URLs to print for one order of the demo: its customer's tracking page, its restaurant's
 * dashboard, the ops fleet map and the replay of its driver, with tokens signed by `signer`
 * (the service's secret) that expire at `exp` (epoch seconds).
 */
export async function demoPageUrls(
  base: string,
  o: {
    signer: JwtSigner;
    exp: number;
    order: { id: string; restaurantId: string; customerId: string; driverId: string | null };
    opsId: string;
  },
): Promise<DemoPageUrls> {
  const token = (role: string, sub: string) => o.signer.sign({ sub, role, exp: o.exp });
  const url = (path: string, params: Record<string, string>) => {
    const u = new URL(path, base);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.href;
  };
  const ops = await token("ops", o.opsId);
  const { order } = o;
  return {
    fleet: url("/", { token: ops }),
    track: url(`/track/${encodeURIComponent(order.id)}`, {
      token: await token("customer", order.customerId),
    }),
    restaurant: url(`/restaurant/${encodeURIComponent(order.restaurantId)}`, {
      token: await token("restaurant", order.restaurantId),
    }),
    replay: url("/replay", { token: ops, ...(order.driverId ? { driver: order.driverId } : {}) }),
  };
}
