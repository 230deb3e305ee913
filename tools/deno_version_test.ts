import assert from "node:assert/strict";

// One Deno version everywhere: `.deno-version` holds it; every command and image that names a
// version (the README, CI, the Dockerfile, the docs, the scripts) must name that one.

const _ROOT = new URL("../", import.meta.url);

Deno.test("every deno@<version> and denoland/deno:<version> in the tree is the one in .deno-version", async () => {
  const pinned = (await Deno.readTextFile(new URL(".deno-version", _ROOT))).trim();
  assert.match(pinned, /^\d+\.\d+\.\d+$/);
  const listed = new Deno.Command("git", { args: ["ls-files"], cwd: _ROOT }).outputSync();
  const files = new TextDecoder().decode(listed.stdout).split("\n")
    .filter((f) => /(\.md|\.ts|\.sh|\.yaml|^Dockerfile|^\.ci\/run)$/.test(f))
    .filter((f) => !f.startsWith("bench/results/"));
  const wrong: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(new URL(file, _ROOT));
    } catch {
      continue; // deleted in the working tree
    }
    for (const m of text.matchAll(/(?:deno@|denoland\/deno:)(\d[\w.-]*)/g)) {
      if (m[1] !== pinned) wrong.push(`${file}: ${m[0]}`);
    }
  }
  assert.deepEqual(wrong, [], `pinned ${pinned}`);
});
