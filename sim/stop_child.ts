/**
 * Stops a child process: `signal` (SIGTERM by default), then SIGKILL if it has not exited
 * `killAfterMs` later (never when absent). Resolves with its exit code once `status` (the
 * child's, or a promise following it) settles.
 */
export async function stopChild(
  child: Deno.ChildProcess,
  status: Promise<Deno.CommandStatus>,
  options: { readonly signal?: Deno.Signal; readonly killAfterMs?: number } = {},
): Promise<number> {
  _signal(child, options.signal ?? "SIGTERM");
  const timer = options.killAfterMs === undefined
    ? undefined
    : setTimeout(() => _signal(child, "SIGKILL"), options.killAfterMs);
  const s = await status;
  clearTimeout(timer);
  return s.code;
}

function _signal(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch { /* gone */ }
}
