import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/** Headers of the app's answer that do not belong on a refused upgrade's raw response. */
const _SKIPPED = new Set(["connection", "content-length", "transfer-encoding", "upgrade"]);

/**
 * Writes the app's answer to an upgrade request it refused (401, 403, 429, 503 …) on the raw
 * socket, with its headers and its (small) body, then closes the connection.
 */
export async function writeRefusal(socket: Duplex, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`];
  response.headers.forEach((value, key) => {
    if (!_SKIPPED.has(key)) lines.push(`${key}: ${value}`);
  });
  lines.push("connection: close", `content-length: ${body.byteLength}`, "", "");
  socket.write(lines.join("\r\n"));
  socket.end(body);
}
