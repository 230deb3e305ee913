/**
 * How long does `Deno.serve` keep a connection that never finishes its request? Starts a bare
 * `Deno.serve` (the service's HTTP layer: timeouts, if any, live there, not in hono) and opens
 * connections that stall at different points, then reports when the server closed each one, up
 * to a cap. docs/limits.md quotes the result.
 *
 *   deno run -A bench/attacks/slow_headers.ts [capSeconds=300]
 */
const capMs = Number(Deno.args[0] ?? 300) * 1000;
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  async (req) => {
    // The slow POST's client goes away at the cap, before its body came.
    const body = await req.arrayBuffer().catch(() => undefined);
    return new Response(`read ${body?.byteLength} bytes`);
  },
);
const { port } = server.addr;
const encoder = new TextEncoder();

interface Case {
  readonly label: string;
  /** Sent at once. */
  readonly first: string;
  /** Sent every 5 s afterwards, if set. */
  readonly trickle?: string;
  /** A full response comes first: read it, then wait for the close. */
  readonly answered?: boolean;
}

const cases: Case[] = [
  { label: "connect and send nothing", first: "" },
  { label: "partial request headers, then silence", first: "GET / HTTP/1.1\r\nHost: x\r\n" },
  {
    label: "one more header line every 5 s (slowloris)",
    first: "GET / HTTP/1.1\r\nHost: x\r\n",
    trickle: "X-a: b\r\n",
  },
  {
    label: "headers done, 100-byte body never sent (slow POST)",
    first: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n",
  },
  {
    label: "idle keep-alive after one answered request",
    first: "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    answered: true,
  },
];

async function _hold(c: Case): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const started = Date.now();
  if (c.first) await conn.write(encoder.encode(c.first));
  const trickle = c.trickle
    ? setInterval(() => conn.write(encoder.encode(c.trickle)).catch(() => {}), 5_000)
    : undefined;
  const buf = new Uint8Array(4096);
  const closed = (async () => {
    if (c.answered) await conn.read(buf);
    return await conn.read(buf) === null ? "closed by the server" : "answered";
  })().catch((e) => `reset (${(e as Error).name})`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<string>((r) =>
    timer = setTimeout(() => r("still open at the cap"), capMs)
  );
  const outcome = await Promise.race([closed, cap]);
  clearTimeout(timer);
  clearInterval(trickle);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  try {
    conn.close();
  } catch { /* already closed */ }
  return `${c.label}: ${outcome} after ${seconds} s`;
}

console.log(`Deno ${Deno.version.deno}, cap ${capMs / 1000} s`);
for (const line of await Promise.all(cases.map(_hold))) console.log(line);
await server.shutdown();
