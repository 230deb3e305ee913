/**
 * Memory per idle driver inside the service, after a full GC: starts the service in-process,
 * connects `N` drivers from a child process (`driver_memory_clients.ts`; each sends two fixes and
 * rests), forces two GCs before each reading, and prints RSS, JS heap and external memory per
 * driver, 5 s and 20 s after they connected. Peak RSS (what `bench:guard` reports) also holds
 * garbage not yet collected; this is what the drivers keep.
 *
 *   deno run -A --v8-flags=--expose-gc bench/profile/driver_memory.ts [N=5000]
 *
 * Needs the broker and PostgreSQL of the tests (tests/_support.ts).
 */
import { startService } from "../../service.ts";
import { runId, testConfig } from "../../tests/_support.ts";
const N = Number(Deno.args[0] ?? "5000");
const s = await startService(
  testConfig(runId(), { SOCKET_RATE_PER_SEC: "20", SOCKET_RATE_BURST: "50" }),
);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const m = (label: string) => {
  gc();
  gc();
  const u = Deno.memoryUsage();
  console.log(
    label,
    JSON.stringify({
      rss: Math.round(u.rss / 1048576),
      heap: Math.round(u.heapUsed / 1048576),
      ext: Math.round(u.external / 1048576),
    }),
  );
  return u;
};
await new Promise((r) => setTimeout(r, 3000));
const a = m("before");
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("./driver_memory_clients.ts", import.meta.url).pathname,
    String(s.port),
    String(N),
  ],
  stdout: "piped",
}).spawn();
const reader = child.stdout.getReader();
await reader.read();
await new Promise((r) => setTimeout(r, 5000));
const b = m("connected+5s");
await new Promise((r) => setTimeout(r, 15000));
const c = m("connected+20s");
for (const [l, u] of [["5s", b], ["20s", c]] as const) {
  console.log(
    l,
    "per driver KiB: rss",
    ((u.rss - a.rss) / 1024 / N).toFixed(1),
    "heap",
    ((u.heapUsed - a.heapUsed) / 1024 / N).toFixed(1),
    "external",
    ((u.external - a.external) / 1024 / N).toFixed(1),
  );
}
child.kill("SIGKILL");
await child.status;
reader.releaseLock();
await s.close();
Deno.exit(0);
