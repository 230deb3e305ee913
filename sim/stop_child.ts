/**
 * Stops a child process: SIGTERM, then SIGKILL if it has not exited after `killAfterMs`.
 * Resolves with its exit code once `status` (the child's, or a promise following it) settles.
 */
export async function stopChild(
  child: Deno.ChildProcess,
  status: Promise<Deno.CommandStatus>,
  killAfterMs: number,
): Promise<number> {
  _signal(child, "SIGTERM");
  const timer = setTimeout(() => _signal(child, "SIGKILL"), killAfterMs);
  const s = await status;
  clearTimeout(timer);
  return s.code;
}

function _signal(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch { /* gone */ }
}
