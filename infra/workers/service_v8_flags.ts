/**
 * V8 flags a service process runs with, unless its operator sets `DENO_V8_FLAGS` (which then
 * replaces them): `start.ts` gives them to its workers, `deno task dev` and the benchmarks' service
 * processes use them too.
 *
 * `--heap-growing-percent=50`: after a full collection V8 lets the old space grow by half of what
 * is alive, instead of up to four times it (its own choice when the machine has memory to spare
 * and collections are cheap). Under load almost all of that growth is fixes' garbage, so the
 * default held the peak RSS per driver at about twice a bare socket's. Since the service promotes
 * a third of what it did per fix (docs/performance.md, "What outlives the young generation"), the
 * extra full collections cost less than the garbage they no longer copy: `bench:guard` measured
 * ×0.81–0.96 of a bare socket's memory per driver under load and ×1.4–1.45 at rest, against
 * ×1.5–2 by V8's default, for no more CPU per fix.
 */
export const SERVICE_V8_FLAGS = "--heap-growing-percent=50";

/** `DENO_V8_FLAGS` for a service process started with `env`: the operator's, else ours. */
export function serviceV8Env(
  env: Readonly<Record<string, string | undefined>>,
): { DENO_V8_FLAGS: string } {
  return { DENO_V8_FLAGS: env.DENO_V8_FLAGS || SERVICE_V8_FLAGS };
}
