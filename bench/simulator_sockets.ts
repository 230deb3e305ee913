/**
 * How a level's driver sockets were spread on the simulator's side: what limits the sockets one
 * machine can open to an instance is the kernel's ephemeral ports per (source address,
 * destination) pair, and each process's open-files limit.
 */
export interface SimulatorSockets {
  /** simulator processes (one per open-files limit's worth of sockets) */
  processes: number;
  /** loopback source addresses the sockets were spread over (1: the kernel's choice) */
  sourceAddresses: number;
  /** the most driver sockets from one source address to one service instance */
  perSourceAndInstance: number;
  /** ports the kernel hands out to one (source, destination) pair; null when unreadable */
  ephemeralPorts: number | null;
}

/** The spread of `drivers` sockets over `o.instances` instances from `o.sourceIps`. */
export function simulatorSockets(
  drivers: number,
  o: { processes: number; instances: number; sourceIps: readonly string[] },
): SimulatorSockets {
  const sources = Math.max(1, o.sourceIps.length);
  return {
    processes: o.processes,
    sourceAddresses: sources,
    perSourceAndInstance: Math.ceil(drivers / Math.max(1, o.instances) / sources),
    ephemeralPorts: _ephemeralPorts(),
  };
}

function _ephemeralPorts(): number | null {
  try {
    const [lo, hi] = Deno.readTextFileSync("/proc/sys/net/ipv4/ip_local_port_range").trim()
      .split(/\s+/).map(Number);
    return Number.isFinite(lo) && Number.isFinite(hi) ? hi! - lo! + 1 : null;
  } catch {
    return null;
  }
}
