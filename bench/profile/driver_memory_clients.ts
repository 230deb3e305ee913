/**
 * The drivers of `driver_memory.ts`: `deno run -A bench/profile/driver_memory_clients.ts PORT N` opens N
 * driver sockets (tokens signed with the tests' secret), each sends two fixes; prints `open N`
 * once all are open, then holds them until killed.
 */
import { sign } from "hono/jwt";
import { SECRET } from "../../tests/_support.ts";
const [port, N] = [Deno.args[0], Number(Deno.args[1])];
const socks: WebSocket[] = [];
for (let i = 0; i < N; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, N - i) }, async (_, k) => {
    const tok = await sign(
      { sub: `heap-${i + k}`, role: "driver", exp: Math.floor(Date.now() / 1000) + 3600 },
      SECRET,
      "HS256",
    );
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/driver?token=${tok}`);
    await new Promise((r) => ws.onopen = r);
    ws.onmessage = () => {};
    const t = Date.now() - 5000;
    ws.send(JSON.stringify({ type: "location", lat: 12.95 + (i + k) * 1e-6, lon: 77.6, ts: t }));
    ws.send(
      JSON.stringify({ type: "location", lat: 12.95 + (i + k) * 1e-6, lon: 77.6001, ts: t + 1000 }),
    );
    socks.push(ws);
  }));
}
console.log("open", socks.length);
await new Promise((r) => setTimeout(r, 600_000));
