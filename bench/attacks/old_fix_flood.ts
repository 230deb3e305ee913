/**
 * One driver sends fixes older than the history retention (issue 19, item 6: 9,900
 * `dead_letters` rows and 9,902 log lines in 10 s). Starts the service (`main.ts`, its own topics,
 * `HISTORY_RETENTION_DAYS` 30 by default), sends `locations` batches of 100 fixes dated
 * `--age-days` ago (each newer than the last) at `--frames` a second for `--seconds`, waits for
 * the history writer, then counts the run's `dead_letters` rows, the service's log lines, and
 * the error frames the driver got by code. docs/limits.md quotes the result.
 *
 *   deno run -A bench/attacks/old_fix_flood.ts [--seconds 10] [--frames 10] [--age-days 40]
 */
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import postgres from "postgres";
import { startIsolatedService } from "./isolated_service.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "10" },
    frames: { type: "string", default: "10" },
    "age-days": { type: "string", default: "40" },
    port: { type: "string", default: "18434" },
  },
});
const seconds = Number(values.seconds);
const frames = Number(values.frames);
const ageDays = Number(values["age-days"]);
const port = Number(values.port);
const run = crypto.randomUUID().slice(0, 8);
const name = "old-fix-flood";
const databaseUrl = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test";

const { service, secret } = await startIsolatedService(name, { port, run });
const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
try {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = await sign({ sub: `old-${run}`, role: "driver", exp }, secret, "HS256");
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/driver?token=${token}`);
  const errors: Record<string, number> = {};
  let acks = 0;
  ws.onmessage = (e) => {
    const frame = JSON.parse(String(e.data));
    if (frame.type === "ack") acks += 1;
    if (frame.type === "error") errors[frame.code] = (errors[frame.code] ?? 0) + 1;
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const start = Date.now() - ageDays * 86_400_000;
  let sent = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const points = Array.from({ length: 100 }, () => {
      const i = sent++;
      return { lat: 12.9 + i * 1e-6, lon: 77.6 + i * 1e-6, ts: start + i * 1000 };
    });
    ws.send(JSON.stringify({ type: "locations", points }));
    await new Promise((r) => setTimeout(r, 1000 / frames));
  }
  await new Promise((r) => setTimeout(r, 5_000));
  ws.close();
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM dead_letters WHERE topic = ${`${name}-${run}`}`;
  const log = await Deno.readTextFile(`/tmp/${name}_${run}.log`);
  const lines = log.split("\n").filter((l) => l.length > 0);
  const warn = lines.filter((l) => /"level":"warn"|WRN|WARN/i.test(l)).length;
  console.log(`Deno ${Deno.version.deno}; one driver, fixes ${ageDays} days old, ${seconds} s`);
  console.log(
    `fixes sent ${sent}; acks ${acks}; error frames ${JSON.stringify(errors)}; ` +
      `dead_letters rows ${row?.n}; log lines ${lines.length} (warn ${warn})`,
  );
} finally {
  await sql.end();
  await service.stop();
}
