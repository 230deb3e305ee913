import type { JwtSigner } from "./jwt_signer.ts";
import { type FleetDriver, PhoneDriver } from "./phone_driver.ts";
import type { PhoneRegistrar } from "./phone_registrar.ts";
import type { SimDriverTarget } from "./sim_driver.ts";

/** Options of {@linkcode DriverConnector}. */
export interface DriverConnectorOptions {
  /** this process's drivers: `drivers[k]` is driver number `mine[k]` of the whole simulation */
  drivers: readonly FleetDriver[];
  mine: readonly number[];
  /** the registrar of the phones among `drivers` (stopped with the connector) */
  phones?: PhoneRegistrar;
  /** service base URLs (http): driver i connects to `bases[i % n]`, like a load balancer */
  bases: readonly URL[];
  /** target addresses replacing the URL's host, round-robin (empty = the URL's host) */
  targetIps: readonly string[];
  /** loopback source addresses to spread connections over (empty = let the kernel choose) */
  sourceIps: readonly string[];
  /** send the JWT as `?token=` instead of an Authorization header */
  tokenInQuery: boolean;
  signer: JwtSigner;
  /** the expiry (epoch seconds) of a token signed at `nowS` */
  expFrom: (nowS: number) => number;
}

/**
 * Connects the simulated drivers of one process to `/ws/driver`, each with a token signed at its
 * connect, and reconnects a driver whose socket drops or whose handshake fails, until
 * {@linkcode DriverConnector.stop}. Phones have no socket: they are registered before the ramp-up.
 */
export class DriverConnector {
  readonly #o: DriverConnectorOptions;
  readonly #clients: Deno.HttpClient[];
  readonly #retries = new Set<ReturnType<typeof setTimeout>>();
  #running = true;

  constructor(o: DriverConnectorOptions) {
    this.#o = o;
    this.#clients = o.sourceIps.map((ip) => Deno.createHttpClient({ localAddress: ip }));
  }

  /** Connects driver `drivers[k]`; resolves once its handshake is over, whatever the outcome. */
  async connect(k: number): Promise<void> {
    const driver = this.#o.drivers[k]!;
    // A phone is registered before the ramp-up (`PhoneRegistrar.registerAll`): nothing to open.
    if (driver instanceof PhoneDriver) return;
    await driver.connect(await this.#targetFor(k), () => {
      // A real app reconnects after a drop or a failed handshake; so do we, with jitter.
      if (!this.#running) return;
      const t = setTimeout(() => {
        this.#retries.delete(t);
        if (this.#running && !driver.active) this.connect(k);
      }, 1000 + Math.random() * 1000);
      this.#retries.add(t);
    });
  }

  /** Stops reconnecting: cancels the pending retries. */
  stop(): void {
    this.#running = false;
    this.#o.phones?.stop();
    for (const t of this.#retries) clearTimeout(t);
  }

  /** Closes the HTTP clients bound to the source addresses (after the drivers are closed). */
  closeClients(): void {
    for (const c of this.#clients) c.close();
  }

  async #targetFor(k: number): Promise<SimDriverTarget> {
    const o = this.#o;
    const i = o.mine[k]!;
    const u = new URL("/ws/driver", o.bases[i % o.bases.length]);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    if (o.targetIps.length) u.hostname = o.targetIps[i % o.targetIps.length]!;
    const token = await o.signer.sign({
      sub: o.drivers[k]!.id,
      role: "driver",
      exp: o.expFrom(Math.floor(Date.now() / 1000)),
    });
    if (o.tokenInQuery) u.searchParams.set("token", token);
    const client = this.#clients.length ? this.#clients[i % this.#clients.length] : undefined;
    return {
      url: u.href,
      ...(o.tokenInQuery ? {} : { headers: { authorization: `Bearer ${token}` } }),
      ...(client ? { client } : {}),
    };
  }
}
