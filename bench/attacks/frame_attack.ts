/**
 * Worst case of the frame-size limit: Deno reads a whole WebSocket frame into memory before the
 * service can see its size (denoland/deno#15809), so the 64 KiB limit closes the socket only after
 * the frame was buffered. This bench measures what one driver token can make the service hold:
 * it starts the service (`main.ts`, its own topics) once per scenario, then keeps
 * `MAX_SOCKETS_PER_PRINCIPAL` raw sockets of one driver busy, each sending frames of one size
 * back to back and reconnecting whenever the server closes it (replaced, 1009, 4029, ...), and
 * samples the service's RSS (`/proc/<pid>/status`) every 50 ms. docs/limits.md quotes the result.
 *
 *   deno run -A bench/attacks/frame_attack.ts [--seconds 15] [--sizes 65000,66000,...] [--sockets 5]
 *     [--fragment bytes]   (send each message as continuation frames of that size)
 *
 * Needs the broker (KAFKA_BROKERS, default 127.0.0.1:9092) and PostgreSQL (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test).
 */
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { startIsolatedService } from "./isolated_service.ts";
import { rawSocket } from "./raw_ws.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "15" },
    sockets: { type: "string", default: "5" },
    // Just under and over the service's 64 KiB, just under and over Deno's message-size cap.
    sizes: { type: "string", default: "64512,66560,66060288,67633152" },
    port: { type: "string", default: "18431" },
    // Send each message as continuation frames of this many bytes (0: one frame).
    fragment: { type: "string", default: "0" },
  },
});
const seconds = Number(values.seconds);
const sockets = Number(values.sockets);
const sizes = values.sizes.split(",").map(Number);
const port = Number(values.port);
const fragment = Number(values.fragment) || undefined;
const run = crypto.randomUUID().slice(0, 8);

function _kib(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${bytes / 1024} KiB`;
}

function _rssKiB(pid: number, field = "VmRSS"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return match ? Number(match[1]) : Number.NaN;
}

interface Outcome {
  size: number;
  baselineMiB: number;
  peakMiB: number;
  hwmMiB: number;
  connects: number;
  refused: number;
  framesSent: number;
  closes: Record<string, number>;
}

async function _scenario(size: number): Promise<Outcome> {
  const { service, secret } = await startIsolatedService("frame-attack", {
    port,
    run: `${run}-${size}`,
    env: { MAX_SOCKETS_PER_PRINCIPAL: String(sockets) },
  });

  try {
    await new Promise((r) => setTimeout(r, 2_000));
    const baseline = _rssKiB(service.pid);
    const token = await sign(
      { sub: `attacker-${run}`, role: "driver", exp: Math.floor(Date.now() / 1000) + 3600 },
      secret,
      "HS256",
    );
    let peak = baseline;
    const sampler = setInterval(() => peak = Math.max(peak, _rssKiB(service.pid)), 50);
    const until = Date.now() + seconds * 1000;
    const stats = { connects: 0, refused: 0, framesSent: 0, closes: {} as Record<string, number> };
    const slot = async () => {
      while (Date.now() < until) {
        const ws = await rawSocket({ port, path: `/ws/driver?token=${token}` });
        if (!ws.ok) {
          stats.refused += 1;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        stats.connects += 1;
        while (Date.now() < until && await ws.sendText(size, fragment)) stats.framesSent += 1;
        const code = await ws.close();
        stats.closes[code] = (stats.closes[code] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: sockets }, slot));
    clearInterval(sampler);
    peak = Math.max(peak, _rssKiB(service.pid));
    return {
      size,
      baselineMiB: baseline / 1024,
      peakMiB: peak / 1024,
      hwmMiB: _rssKiB(service.pid, "VmHWM") / 1024,
      ...stats,
    };
  } finally {
    await service.stop();
  }
}

console.log(
  `Deno ${Deno.version.deno}; ${sockets} sockets of one driver token; ${seconds} s per size` +
    (fragment ? `; messages in fragments of ${_kib(fragment)}` : ""),
);
console.log(
  "| frame size | baseline RSS | peak RSS | VmHWM | connects | refused | frames sent | closes |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const size of sizes) {
  const o = await _scenario(size);
  const closes = Object.entries(o.closes).map(([c, n]) => `${c}×${n}`).join(", ");
  console.log(
    `| ${_kib(o.size)} | ${o.baselineMiB.toFixed(0)} MiB | ${o.peakMiB.toFixed(0)} MiB | ` +
      `${o.hwmMiB.toFixed(0)} MiB | ${o.connects} | ${o.refused} | ${o.framesSent} | ${closes} |`,
  );
}
