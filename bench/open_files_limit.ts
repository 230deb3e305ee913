/**
 * The soft limit on open files of this process (`ulimit -n`), read from /proc/self/limits;
 * `undefined` where that file does not exist (not Linux) or the limit is unlimited.
 */
export function openFilesLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync("/proc/self/limits");
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\S+)/m.exec(text);
  const n = Number(m?.[1]);
  return Number.isFinite(n) ? n : undefined;
}
