/** Sockets one (source address, destination) pair can take: ~28,000 ephemeral ports, less margin. */
export const SOCKETS_PER_SOURCE = 25_000;

/**
 * Loopback source addresses for `drivers` sockets spread evenly over `destinations` listening
 * addresses (service instances): none while each destination gets at most
 * {@linkcode SOCKETS_PER_SOURCE}, since a connect() without bind() shares ephemeral ports across
 * destinations; otherwise one per 25,000 sockets a destination takes, 127.0.0.1 upwards.
 *
 * Binding a source address before connect is not free: the kernel searches for a port with no
 * conflict on every bind, and that search grows with the sockets already bound (at 55,000 sockets
 * it took a third of this 2-core machine, in `inet_bhash2_conflict`). So it is used only when
 * ports would run out.
 */
export function autoSourceIps(drivers: number, destinations = 1): string[] {
  const perDestination = Math.ceil(drivers / Math.max(1, destinations));
  const n = Math.ceil(perDestination / SOCKETS_PER_SOURCE);
  return n > 1 ? Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`) : [];
}

/**
 * The loopback source address of phone `i`: each phone its own, 127.100.0.1 upwards (.1 to .254
 * in the last byte), as real phones come from addresses of their own. The service limits key
 * look-ups that reach the database per source address (10 a second, docs/phones.md), and each key
 * is looked up again every 30 s, so a fleet of phones behind one address would be refused.
 */
export function phoneSourceIp(i: number): string {
  const host = Math.floor(i / 254);
  return `127.${100 + Math.floor(host / 256)}.${host % 256}.${(i % 254) + 1}`;
}
