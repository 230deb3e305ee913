// @ts-types="@types/ws"
import WebSocket from "ws";

/** How an upgrade went: the socket, or the HTTP status it was refused with. */
export type Opened = { readonly ws: WebSocket } | {
  readonly status: number;
  readonly body: string;
};

/**
 * Opens a WebSocket with the `ws` client, which (unlike the built-in one) shows the status and
 * body of a refused upgrade and can send a message as continuation frames.
 */
export function openWs(url: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve({ ws }));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Uint8Array) => body += new TextDecoder().decode(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    ws.once("error", reject);
  });
}

/** The socket, or a failure that names the refusal. */
export function socketOf(opened: Opened): WebSocket {
  if ("ws" in opened) return opened.ws;
  throw new Error(`upgrade refused: ${opened.status} ${opened.body}`);
}

/**
 * Sends one text message of up to `fragments` continuation frames of `bytes` each, waiting for
 * each to be written, until the server closes the socket. Resolves with the frames written
 * before the close, and the close code.
 */
export async function sendFragments(
  ws: WebSocket,
  options: { readonly bytes: number; readonly fragments: number },
): Promise<{ written: number; code: number }> {
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  ws.on("error", () => {}); // writes after the server's close fail; the close says why
  const chunk = "x".repeat(options.bytes);
  let written = 0;
  for (let i = 0; i < options.fragments && ws.readyState === WebSocket.OPEN; i++) {
    const last = i === options.fragments - 1;
    const ok = await new Promise<boolean>((resolve) =>
      ws.send(chunk, { fin: last }, (error) => resolve(!error))
    );
    if (!ok) break;
    written++;
    // Let the server's answer (a close) arrive between fragments.
    await new Promise((r) => setTimeout(r, 5));
  }
  if (ws.readyState === WebSocket.OPEN) ws.close();
  return { written, code: await closed };
}
