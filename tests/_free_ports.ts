/** Options of {@linkcode freePorts}. */
export interface FreePortsOptions {
  /** Address the ports must be free on. @default "127.0.0.1" */
  readonly hostname?: string;
  /** Ports at these offsets from the first must be free too (e.g. a controller range). @default [] */
  readonly alsoAt?: readonly number[];
}

/**
 * Finds `count` consecutive TCP ports that nothing listens on (and, for each offset in
 * `alsoAt`, the same run shifted by that offset), starting from a random point between 20000 and
 * the kernel's ephemeral range (`ip_local_port_range`, 32768 by default), so that concurrent test
 * runs rarely pick the same ones and no outgoing connection's local port can take one before the
 * caller binds it (the fault tests run side by side and open thousands of connections). Returns
 * the first port. Another process may still take a port before the caller does.
 */
export function freePorts(count: number, options: FreePortsOptions = {}): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be >= 1: ${count}`);
  const hostname = options.hostname ?? "127.0.0.1";
  const offsets = [0, ...(options.alsoAt ?? [])];
  const span = count + Math.max(0, ...offsets);
  const room = Math.max(1, _ephemeralLow() - 20_000 - span);
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * room);
    const ports = offsets.flatMap((o) => Array.from({ length: count }, (_, i) => first + o + i));
    if (ports.every((port) => _bindable(hostname, port))) return first;
  }
  throw new Error(`no ${count} free consecutive ports found`);
}

function _bindable(hostname: string, port: number): boolean {
  if (port > 65_535) return false;
  try {
    Deno.listen({ hostname, port }).close();
    return true;
  } catch {
    return false;
  }
}

/** The lowest port the kernel hands out to outgoing connections (Linux), or 32768. */
function _ephemeralLow(): number {
  try {
    const low = Number(
      Deno.readTextFileSync("/proc/sys/net/ipv4/ip_local_port_range").split(/\s+/)[0],
    );
    return Number.isInteger(low) && low > 20_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}
