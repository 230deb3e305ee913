/**
 * Who is using the bench's machine: each process of `/proc` put in one role, so a level can say
 * how the machine's CPU and memory were shared between the service, the simulator, the broker and
 * PostgreSQL (the "if the simulator or the machine is what limits it, show that").
 */

/** The roles the bench tells apart; `other` is everything else on the machine. */
export const MACHINE_ROLES = [
  "service",
  "simulator",
  "kafka",
  "postgres",
  "bench",
  "other",
] as const;

/** One of {@linkcode MACHINE_ROLES}. */
export type MachineRole = typeof MACHINE_ROLES[number];

/** What the classification needs to know of a process. */
export interface ProcessFacts {
  pid: number;
  ppid: number;
  /** the command name, `/proc/<pid>/comm` (or the name in `stat`) */
  comm: string;
  /** the command line, NUL-separated arguments joined by spaces */
  cmdline: string;
}

/**
 * The role of every process in `procs`: the service's instances and their children (their pids
 * in `servicePids`), the simulator's processes (`simulate.ts`, and their children), the Kafka
 * broker (`kafka.Kafka`), PostgreSQL (`postgres` processes), the bench itself (`benchPid`), else
 * `other`. A child inherits its parent's role unless it is one of the named kinds itself.
 */
export function machineRoles(
  procs: readonly ProcessFacts[],
  who: { servicePids: readonly number[]; benchPid: number },
): Map<number, MachineRole> {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const service = new Set(who.servicePids);
  const roles = new Map<number, MachineRole>();
  const roleOf = (p: ProcessFacts, depth: number): MachineRole => {
    const known = roles.get(p.pid);
    if (known) return known;
    const own = _ownRole(p, service, who.benchPid);
    const parent = byPid.get(p.ppid);
    // The bench's children are not the bench: the service and simulator are named above.
    const role = own ??
      (parent && depth < 64 && p.ppid !== who.benchPid ? roleOf(parent, depth + 1) : "other");
    roles.set(p.pid, role);
    return role;
  };
  for (const p of procs) roleOf(p, 0);
  return roles;
}

function _ownRole(
  p: ProcessFacts,
  service: ReadonlySet<number>,
  benchPid: number,
): MachineRole | undefined {
  if (service.has(p.pid)) return "service";
  if (p.pid === benchPid) return "bench";
  if (p.cmdline.includes("simulate.ts")) return "simulator";
  if (p.cmdline.includes("kafka.Kafka")) return "kafka";
  if (p.comm === "postgres" || p.comm === "postmaster") return "postgres";
  return undefined;
}
