import assert from "node:assert/strict";
import { ServiceOutput } from "./_service_output.ts";

function _stream(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return ReadableStream.from(chunks.map((c) => encoder.encode(c)));
}

Deno.test("ServiceOutput counts every worker's listening line, split across chunks, and keeps the first port", async () => {
  const out = new ServiceOutput(undefined);
  await out.open();
  await out.pump(_stream(["starting\nlisten", "ing on http://127.0.0.1:4312\n", "x\n"]));
  await out.pump(_stream(['{"message":"listening on http://0.0.0.0:4313"}\n']));
  assert.equal(out.listening, 2);
  assert.equal(out.port, 4312);
  assert.equal(
    out.text,
    'starting\nlistening on http://127.0.0.1:4312\nx\n{"message":"listening on http://0.0.0.0:4313"}\n',
  );
  assert.equal(out.describe(), `:\n${out.text}`);
});

Deno.test("ServiceOutput with a log file writes there and keeps nothing in memory", async () => {
  const path = await Deno.makeTempFile();
  const out = new ServiceOutput(path);
  await out.open();
  await out.pump(_stream(["listening on http://127.0.0.1:9\n"]));
  out.close();
  assert.equal(await Deno.readTextFile(path), "listening on http://127.0.0.1:9\n");
  assert.equal(out.text, "");
  assert.equal(out.listening, 1);
  assert.equal(out.describe(), `; see ${path}`);
  await Deno.remove(path);
});
