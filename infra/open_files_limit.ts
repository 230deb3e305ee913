/**
 * The soft (or, with `hard: true`, hard) limit on open files of this process (`ulimit -n`),
 * read from /proc/self/limits; `undefined` where that file does not exist (not Linux) or the
 * limit is unlimited.
 */
export function openFilesLimit(
  options: { hard?: boolean; text?: string } = {},
): number | undefined {
  let text = options.text;
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync("/proc/self/limits");
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  const n = Number(options.hard ? m?.[2] : m?.[1]);
  return Number.isFinite(n) ? n : undefined;
}
