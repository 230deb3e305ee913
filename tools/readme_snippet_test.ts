import assert from "node:assert/strict";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";

// The README's shell snippets are pasted by newcomers: every request must say when it fails, and
// history is read only after the writer's flush interval (it answers `"points":[]` before).

const _README = new URL("../README.md", import.meta.url);

/** The lines of the README's ```sh blocks, continuation lines joined. */
async function _shellLines(): Promise<string[]> {
  const text = await Deno.readTextFile(_README);
  const blocks = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.replaceAll("\\\n", " ").split("\n"));
}

Deno.test("every curl in the README fails loudly: -sS --fail-with-body", async () => {
  const curls = (await _shellLines()).filter((l) => /\bcurl\b/.test(l) && !l.startsWith("#"));
  assert.ok(curls.length >= 6, `${curls.length} curl lines`);
  for (const line of curls) assert.match(line, /curl -sS --fail-with-body /, line);
});

Deno.test("the README checks the order id it extracted and waits for the history flush", async () => {
  const lines = await _shellLines();
  const extracted = lines.findIndex((l) => /^ORDER=\$\(/.test(l));
  assert.ok(
    extracted >= 0 && /sed -n .*\/p'\)/.test(lines[extracted]!),
    "sed -n ...p: no match, no id",
  );
  assert.match(lines[extracted + 1]!, /\[ -n "\$ORDER" \]/);
  const history = lines.findIndex((l) => /\/history\?/.test(l));
  const sleep = lines.findIndex((l) => /^sleep \d+/.test(l));
  assert.ok(sleep >= 0 && sleep < history, "a sleep before the first history read");
  const seconds = Number(lines[sleep]!.match(/^sleep (\d+)/)![1]);
  assert.ok(seconds * 1000 > SHARED_DEFAULTS.historyFlushMs, `sleep ${seconds}`);
});
