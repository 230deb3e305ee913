/**
 * The size check over the tree, a test so `deno task test` (CI) runs it: it fails on every
 * production file over 250 lines and function over 60, listed with their sizes, while
 * `SIZE_LIMITS.enforced` is true. `deno task sizes` runs it alone (a `deno test`, since functions
 * are measured by a lint plugin).
 * @module
 */
import assert from "node:assert/strict";
import { readTree } from "./check_layers.ts";
import { formatSizes, longFiles, longFunctions, SIZE_LIMITS } from "./check_sizes.ts";

Deno.test("production files and functions stay within the size limits", async () => {
  const files = await readTree(new URL("..", import.meta.url).pathname);
  assert.ok(files.some((f) => f.path === "service.ts"), "the walk found the tree");
  const over = [...longFiles(files), ...longFunctions(files)];
  if (over.length === 0) return;
  const report = `${over.length} over ${SIZE_LIMITS.fileLines} lines a file or ` +
    `${SIZE_LIMITS.functionLines} a function:\n${formatSizes(over)}`;
  if (SIZE_LIMITS.enforced) throw new Error(report);
  console.warn(`${report}\n(reported only: SIZE_LIMITS.enforced is false)`);
});
