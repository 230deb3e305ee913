/**
 * The size check over the tree: `deno task sizes` (a `deno test` of this file, since functions are
 * measured by a lint plugin). It lists every production file over 250 lines and function over 60;
 * it fails only when `SIZE_LIMITS.enforced` is true. Not named `*_test.ts`, so `deno task test`
 * does not run it while the tree is being split.
 * @module
 */
import { readTree } from "./check_layers.ts";
import { formatSizes, longFiles, longFunctions, SIZE_LIMITS } from "./check_sizes.ts";

Deno.test("production files and functions stay within the size limits", async () => {
  const files = await readTree(new URL("..", import.meta.url).pathname);
  const over = [...longFiles(files), ...longFunctions(files)];
  if (over.length === 0) return;
  const report = `${over.length} over ${SIZE_LIMITS.fileLines} lines a file or ` +
    `${SIZE_LIMITS.functionLines} a function:\n${formatSizes(over)}`;
  if (SIZE_LIMITS.enforced) throw new Error(report);
  console.warn(`${report}\n(reported only: SIZE_LIMITS.enforced is false)`);
});
