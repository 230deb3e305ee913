import assert from "node:assert/strict";
import { openFilesLimit } from "./open_files_limit.ts";

Deno.test("openFilesLimit reads the soft limit from /proc/self/limits text", () => {
  const text = `Limit                     Soft Limit           Hard Limit           Units
Max processes             unlimited            unlimited            processes
Max open files            20000                20000                files
`;
  assert.equal(openFilesLimit(text), 20000);
  assert.equal(openFilesLimit("Max open files  unlimited  unlimited  files"), undefined);
});
