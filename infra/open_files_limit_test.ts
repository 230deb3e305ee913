import assert from "node:assert/strict";
import { openFilesLimit } from "./open_files_limit.ts";

Deno.test("openFilesLimit reads the soft and hard limits from /proc/self/limits text", () => {
  const text = `Limit                     Soft Limit           Hard Limit           Units
Max processes             unlimited            unlimited            processes
Max open files            1024                 20000                files
`;
  assert.equal(openFilesLimit({ text }), 1024);
  assert.equal(openFilesLimit({ text, hard: true }), 20000);
  assert.equal(openFilesLimit({ text: "Max open files  unlimited  unlimited  files" }), undefined);
});
