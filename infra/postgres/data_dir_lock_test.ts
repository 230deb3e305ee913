import assert from "node:assert/strict";
import { DataDirInUseError, lockDataDir } from "./data_dir_lock.ts";

Deno.test("lockDataDir refuses a directory that a live process holds", async () => {
  const dir = await Deno.makeTempDir();
  const data = `${dir}/pglite`;
  // pid 1 is always alive: another instance holds it.
  await Deno.writeTextFile(`${data}.lock`, "1");
  await assert.rejects(lockDataDir(data), (e) => e instanceof DataDirInUseError && e.pid === 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lockDataDir takes over a lock whose process is gone, and releases it", async () => {
  const dir = await Deno.makeTempDir();
  const data = `${dir}/pglite`;
  await Deno.writeTextFile(`${data}.lock`, "999999999");
  const lock = await lockDataDir(data);
  assert.equal(await Deno.readTextFile(`${data}.lock`), String(Deno.pid));
  await lock.release();
  await assert.rejects(Deno.stat(`${data}.lock`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lockDataDir in one process twice: the second holder is this process, allowed", async () => {
  const dir = await Deno.makeTempDir();
  const lock = await lockDataDir(`${dir}/pglite`);
  const again = await lockDataDir(`${dir}/pglite`);
  await again.release();
  await lock.release();
  await Deno.remove(dir, { recursive: true });
});
