/** Options of {@linkcode freePorts}. */
export interface FreePortsOptions {
  /** Address the ports must be free on. @default "127.0.0.1" */
  readonly hostname?: string;
  /** Ports at these offsets from the first must be free too (e.g. a controller range). @default [] */
  readonly alsoAt?: readonly number[];
}

/**
 * Finds `count` consecutive TCP ports that nothing listens on (and, for each offset in
 * `alsoAt`, the same run shifted by that offset), starting from a random point in 20000..44999
 * so that concurrent test runs rarely pick the same ones. Returns the first port. A port is
 * free when it can be bound; another process may still take it before the caller does.
 */
export function freePorts(count: number, options: FreePortsOptions = {}): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be >= 1: ${count}`);
  const hostname = options.hostname ?? "127.0.0.1";
  const offsets = [0, ...(options.alsoAt ?? [])];
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 25_000);
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
