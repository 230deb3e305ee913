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
