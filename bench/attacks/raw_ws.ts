/** Options of {@linkcode rawSocket}. */
export interface RawSocketOptions {
  readonly port: number;
  /** Path and query of the upgrade request, e.g. `/ws/driver?token=...`. */
  readonly path: string;
  readonly hostname?: string;
}

/** A raw WebSocket client connection; see {@linkcode rawSocket}. */
export interface RawSocket {
  readonly ok: true;
  /**
   * Sends one text frame of `size` spaces, streamed from a reused 1 MiB buffer (so the client
   * never holds the frame). With `fragment`, the message goes as continuation frames of at most
   * that many bytes each. False once the connection is closed or broken.
   */
  sendText(size: number, fragment?: number): Promise<boolean>;
  /** Closes the connection; resolves with the server's close code, or "dropped" without one. */
  close(): Promise<string>;
}

/** A refused handshake. */
export interface RawRefusal {
  readonly ok: false;
  readonly status: string;
}

const _CHUNK = new Uint8Array(1 << 20).fill(0x20);
const _encoder = new TextEncoder();

/**
 * A minimal WebSocket client over TCP for attack benches: frames of any size (up to 2^53), masked
 * with a zero key so the payload is sent as is. A browser-like client would have to build each
 * frame in memory; this one does not, so the bench measures the server, not itself.
 */
export async function rawSocket(options: RawSocketOptions): Promise<RawSocket | RawRefusal> {
  const hostname = options.hostname ?? "127.0.0.1";
  const conn = await Deno.connect({ hostname, port: options.port });
  const status = await _handshake(conn, hostname, options);
  if (status !== "101") {
    conn.close();
    return { ok: false, status: status || "none" };
  }
  const state: _State = { closed: false, code: "dropped" };
  const reader = _readUntilClosed(conn, state);
  return {
    ok: true,
    sendText: (size, fragment = size) => _sendText(conn, state, size, fragment),
    async close() {
      try {
        conn.close();
      } catch { /* already closed */ }
      await reader;
      return state.code;
    },
  };
}

/** What the reader of a {@linkcode RawSocket} found: whether it is closed, and the close code. */
interface _State {
  closed: boolean;
  /** the server's close code, or "dropped" without a close frame */
  code: string;
}

/** Sends the upgrade request; resolves with the status code of the answer ("" without one). */
async function _handshake(
  conn: Deno.Conn,
  hostname: string,
  options: RawSocketOptions,
): Promise<string> {
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  await _writeAll(
    conn,
    _encoder.encode(
      `GET ${options.path} HTTP/1.1\r\nHost: ${hostname}:${options.port}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  const head = await _readHead(conn);
  return head.slice(9, 12);
}

/** Reads frames until the connection ends, keeping a close frame's code; then marks it closed. */
async function _readUntilClosed(conn: Deno.Conn, state: _State): Promise<void> {
  let pending: Uint8Array = new Uint8Array(0);
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) break;
    pending = _concat(pending, buf.subarray(0, n));
    for (;;) {
      const frame = _parse(pending);
      if (!frame) break;
      pending = pending.subarray(frame.length);
      if (frame.opcode === 8 && frame.payload.length >= 2) {
        state.code = String((frame.payload[0]! << 8) | frame.payload[1]!);
      }
    }
  }
  state.closed = true;
}

/** Sends one text frame as {@linkcode RawSocket.sendText} says. */
async function _sendText(
  conn: Deno.Conn,
  state: _State,
  size: number,
  fragment: number,
): Promise<boolean> {
  if (state.closed) return false;
  try {
    for (let sent = 0; sent < size && !state.closed; sent += fragment) {
      const length = Math.min(fragment, size - sent);
      await _writeAll(conn, _header(length, sent === 0, sent + length >= size));
      for (let left = length; left > 0; left -= _CHUNK.length) {
        await _writeAll(conn, left >= _CHUNK.length ? _CHUNK : _CHUNK.subarray(0, left));
      }
    }
    return !state.closed;
  } catch {
    return false;
  }
}

function _header(size: number, first = true, last = true): Uint8Array {
  // FIN when last; text, or continuation after the first; masked, 64-bit length; zero mask key.
  const header = new Uint8Array(14);
  header[0] = (last ? 0x80 : 0) | (first ? 0x1 : 0x0);
  header[1] = 0x80 | 127;
  new DataView(header.buffer).setBigUint64(2, BigInt(size));
  return header;
}

function _parse(bytes: Uint8Array): { opcode: number; payload: Uint8Array; length: number } | null {
  if (bytes.length < 2) return null;
  const opcode = bytes[0]! & 0x0f;
  let length = bytes[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return null;
    length = (bytes[2]! << 8) | bytes[3]!;
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return null;
    length = Number(new DataView(bytes.buffer, bytes.byteOffset + 2, 8).getBigUint64(0));
    offset = 10;
  }
  if (bytes.length < offset + length) return null;
  return { opcode, payload: bytes.subarray(offset, offset + length), length: offset + length };
}

function _concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function _writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    written += await conn.write(bytes.subarray(written));
  }
}

async function _readHead(conn: Deno.Conn): Promise<string> {
  // Byte by byte, so nothing after the head (a first frame) is consumed here.
  const one = new Uint8Array(1);
  let head = "";
  while (!head.endsWith("\r\n\r\n") && head.length < 16 * 1024) {
    const n = await conn.read(one).catch(() => null);
    if (n === null) break;
    head += String.fromCharCode(one[0]!);
  }
  return head;
}
