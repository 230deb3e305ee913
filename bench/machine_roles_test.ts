import assert from "node:assert/strict";
import { machineRoles, type ProcessFacts } from "./machine_roles.ts";

function _p(pid: number, ppid: number, cmdline: string, comm = "x"): ProcessFacts {
  return { pid, ppid, comm, cmdline };
}

Deno.test("machineRoles tells the service, simulator, broker, PostgreSQL and the bench apart", () => {
  const procs = [
    _p(1, 0, "/sbin/init", "init"),
    _p(10, 1, "deno run -A bench/bench.ts --levels 1000", "deno"),
    _p(11, 10, "bash -c exec deno run -A main.ts", "bash"),
    _p(12, 11, "deno run -A main.ts", "deno"),
    _p(13, 10, "deno run -A --config deno.json sim/simulate.ts --child --shard=0", "deno"),
    _p(14, 10, "psql -c select 1", "psql"),
    _p(20, 1, "java -Xmx1G -cp /x kafka.Kafka /work/server.properties", "java"),
    _p(30, 1, "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql", "postgres"),
    _p(31, 30, "postgres: postgres benchrun 127.0.0.1(5555) idle", "postgres"),
    _p(40, 1, "sshd: root", "sshd"),
  ];
  const roles = machineRoles(procs, { servicePids: [11], benchPid: 10 });
  assert.deepEqual(Object.fromEntries(roles), {
    1: "other",
    10: "bench",
    11: "service",
    12: "service",
    13: "simulator",
    14: "other",
    20: "kafka",
    30: "postgres",
    31: "postgres",
    40: "other",
  });
});

Deno.test("machineRoles: a child inherits its parent's role, even when listed first", () => {
  const procs = [_p(7, 6, "deno worker"), _p(6, 5, "deno run sim/simulate.ts"), _p(5, 1, "sh")];
  const roles = machineRoles(procs, { servicePids: [], benchPid: 99 });
  assert.equal(roles.get(7), "simulator");
  assert.equal(roles.get(5), "other");
});
