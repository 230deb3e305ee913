import assert from "node:assert/strict";
import { freePorts } from "./_free_ports.ts";
import { randomSecret, runService, type ServiceRun } from "../sim/service_process.ts";
import { startupEnv } from "./_support.ts";

// main.ts as a child process: each start-up failure is one JSON line on stderr (level error,
// naming the setting), no stack trace, nothing on stdout, and exit code 2 (a setting is wrong)
// or 1 (a dependency cannot be reached now). docs/operations.md lists them.

/** main.ts run to its exit with the start-up tests' environment changed by `env`. */
function runMain(env: Record<string, string>): Promise<ServiceRun> {
  return runService(startupEnv(env));
}

/** Asserts the one-line shape and returns the parsed line. */
function oneErrorLine(run: ServiceRun, setting: string, code: number): Record<string, unknown> {
  const all = `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  assert.equal(run.code, code, all);
  assert.equal(run.stderr.split("\n").length, 1, all);
  assert.doesNotMatch(run.stderr, /\bat \S+:\d+:\d+|\n\s+at /, "no stack trace");
  assert.equal(run.stdout, "", all);
  const line = JSON.parse(run.stderr);
  assert.equal(line.level, "error");
  assert.equal(line.setting, setting);
  assert.equal(line.exitCode, code);
  assert.ok(String(line.message).startsWith(`${setting}: `), line.message);
  return line;
}

Deno.test("start-up with PORT in use exits 1 with one line naming PORT", async () => {
  const port = freePorts(1);
  const taken = Deno.listen({ hostname: "127.0.0.1", port });
  try {
    const run = await runMain({ JWT_SECRET: randomSecret(), PORT: String(port) });
    const line = oneErrorLine(run, "PORT", 1);
    assert.equal(line.message, `PORT: cannot listen on 127.0.0.1:${port}: already in use`);
  } finally {
    taken.close();
  }
});

Deno.test("start-up with PostgreSQL unreachable exits 1 naming DATABASE_URL, without the password", async () => {
  const port = freePorts(1);
  const run = await runMain({
    JWT_SECRET: randomSecret(),
    DATABASE_URL: `postgres://postgres:hunter2secret@127.0.0.1:${port}/test`,
  });
  const line = oneErrorLine(run, "DATABASE_URL", 1);
  assert.match(String(line.message), new RegExp(`127\\.0\\.0\\.1:${port}/test: .*ECONNREFUSED`));
  assert.doesNotMatch(run.stderr, /hunter2/);
});

/**
 * A TCP port that accepts connections and never says a word (a firewall that swallows them, a
 * service that waits for the client to speak first): runs `fn` with it, then closes it all.
 */
async function withSilentPort(fn: (port: number) => Promise<void>): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) held.push(conn);
    } catch { /* closed */ }
  })();
  try {
    await fn(listener.addr.port);
  } finally {
    listener.close();
    await accepting;
    for (const conn of held) conn.close();
  }
}

Deno.test("start-up with PostgreSQL silent exits 1 after the 10 s connect timeout, saying there was no answer", async () => {
  await withSilentPort(async (port) => {
    const run = await runMain({
      JWT_SECRET: randomSecret(),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
    });
    const line = oneErrorLine(run, "DATABASE_URL", 1);
    assert.equal(
      line.message,
      `DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:${port}/test: ` +
        "no answer within 10 s (connect timeout)",
    );
    // Deno start-up and closing come on top of the 10 s; before, such an address took minutes.
    assert.ok(run.elapsedMs < 25_000, `took ${run.elapsedMs} ms`);
  });
});

Deno.test("start-up with a silent broker exits 1 within KAFKA_CONNECT_TIMEOUT_MS, saying there was no answer", async () => {
  await withSilentPort(async (port) => {
    const run = await runMain({
      JWT_SECRET: randomSecret(),
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      KAFKA_CONNECT_TIMEOUT_MS: "2000",
    });
    const line = oneErrorLine(run, "KAFKA_BROKERS", 1);
    assert.equal(
      line.message,
      `KAFKA_BROKERS: no broker of 127.0.0.1:${port} answered within 2 s ` +
        "(KAFKA_CONNECT_TIMEOUT_MS): no answer",
    );
    assert.ok(run.elapsedMs < 20_000, `took ${run.elapsedMs} ms`);
  });
});

Deno.test("start-up with a database that does not exist exits 2 naming DATABASE_URL", async () => {
  const url = new URL(Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test");
  url.pathname = "/no_such_database_startup_test";
  const run = await runMain({ JWT_SECRET: randomSecret(), DATABASE_URL: url.href });
  const line = oneErrorLine(run, "DATABASE_URL", 2);
  assert.match(String(line.message), /no_such_database_startup_test.*does not exist/);
});

Deno.test("start-up with Kafka unreachable exits 1 within KAFKA_CONNECT_TIMEOUT_MS, naming KAFKA_BROKERS", async () => {
  const port = freePorts(1);
  const run = await runMain({
    JWT_SECRET: randomSecret(),
    KAFKA_BROKERS: `127.0.0.1:${port}`,
    KAFKA_CONNECT_TIMEOUT_MS: "2000",
  });
  const line = oneErrorLine(run, "KAFKA_BROKERS", 1);
  assert.match(
    String(line.message),
    new RegExp(
      `no broker of 127\\.0\\.0\\.1:${port} answered within 2 s \\(KAFKA_CONNECT_TIMEOUT_MS\\): ` +
        `connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`,
    ),
  );
  // Deno start-up, migrations and the last attempt come on top of the 2 s; not the 30 s default.
  assert.ok(run.elapsedMs < 20_000, `took ${run.elapsedMs} ms`);
});

Deno.test("start-up with a missing regions file exits 2 naming REGIONS_FILE", async () => {
  const run = await runMain({
    JWT_SECRET: randomSecret(),
    REGIONS_FILE: "/nonexistent/regions.json",
  });
  const line = oneErrorLine(run, "REGIONS_FILE", 2);
  assert.match(String(line.message), /\/nonexistent\/regions\.json: No such file/);
});

Deno.test("start-up with an invalid regions file exits 2 with one line, however many problems", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, JSON.stringify({ catchAll: { name: "x y" }, regions: [] }));
    const run = await runMain({ JWT_SECRET: randomSecret(), REGIONS_FILE: path });
    const line = oneErrorLine(run, "REGIONS_FILE", 2);
    assert.match(String(line.message), /invalid regions file: .*; /);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("start-up with an unknown LOG_LEVEL exits 2 with one JSON line naming it", async () => {
  const run = await runMain({ JWT_SECRET: randomSecret(), LOG_LEVEL: "loud" });
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stderr.split("\n").length, 1, run.stderr);
  assert.match(JSON.parse(run.stderr).message, /^invalid configuration: LOG_LEVEL: /);
});

Deno.test("start-up with a wrong value under a former name, or a boolean that is not 1|0|true|false, exits 2 naming it", async () => {
  for (const [name, value] of [["ARRIVING_METERS", "far"], ["KAFKA_TLS", "yes"]]) {
    const run = await runMain({ JWT_SECRET: randomSecret(), [name!]: value! });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.split("\n").length, 1, run.stderr);
    const line = JSON.parse(run.stderr);
    assert.equal(line.setting, name);
    assert.match(line.message, new RegExp(`^invalid configuration: ${name}: `));
  }
});

Deno.test("start-up logs one deprecation line for a former setting name, before it goes on", async () => {
  // The port is taken so that start-up stops right after the settings were read.
  const port = freePorts(1);
  const taken = Deno.listen({ hostname: "127.0.0.1", port });
  try {
    const run = await runMain({
      JWT_SECRET: randomSecret(),
      PORT: String(port),
      ARRIVING_METERS: "90",
    });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.split("\n").map((l) => JSON.parse(l));
    const deprecated = lines.filter((l) => /deprecated/.test(l.message));
    assert.deepEqual(deprecated.map((l) => [l.level, l.message]), [
      ["warn", "ARRIVING_METERS is deprecated: use ARRIVING_M"],
    ]);
    assert.equal(lines.at(-1).setting, "PORT");
  } finally {
    taken.close();
  }
});
