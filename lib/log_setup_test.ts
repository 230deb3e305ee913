import { getLogger } from "@logtape/logtape";
import assert from "node:assert/strict";
import { logger } from "./log.ts";
import { configureLogging, type LoggingOptions, resetLogging } from "./log_setup.ts";

/** Runs `body` with logging configured to collect lines, then undoes it. */
function captured(options: LoggingOptions, body: () => void): string[] {
  const lines: string[] = [];
  configureLogging({ ...options, write: (line) => lines.push(line) });
  try {
    body();
  } finally {
    resetLogging();
  }
  return lines;
}

Deno.test("a JSON log line has time, level, logger, message, then the fields at the top level", () => {
  const lines = captured({ level: "info" }, () => {
    logger("kafka").info("consumer group joined", { group: "g", partitions: { t: [0, 1] } });
  });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.endsWith("\n") && !lines[0]!.slice(0, -1).includes("\n"));
  const line = JSON.parse(lines[0]!);
  assert.deepEqual(Object.keys(line), [
    "time",
    "level",
    "logger",
    "message",
    "group",
    "partitions",
  ]);
  assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(line.level, "info");
  assert.equal(line.logger, "tracking.kafka");
  assert.equal(line.message, "consumer group joined");
  assert.deepEqual(line.partitions, { t: [0, 1] });
});

Deno.test("an error field keeps its message and code, and no stack", () => {
  const error = Object.assign(new Error("connect refused\nsecond line"), { code: "ECONNREFUSED" });
  const lines = captured({}, () => logger("x").warn("down", { error, offset: 12n }));
  const line = JSON.parse(lines[0]!);
  assert.equal(line.level, "warn");
  assert.deepEqual(line.error, { message: "connect refused; second line", code: "ECONNREFUSED" });
  assert.equal(line.offset, "12");
  assert.doesNotMatch(lines[0]!, /stack|at file:/);
});

Deno.test("an AggregateError shows the messages it holds", () => {
  const error = new AggregateError([new Error("broker a"), new Error("broker b")], "all failed");
  const line = JSON.parse(captured({}, () => logger("x").error("no", { error }))[0]!);
  assert.deepEqual(line.error, {
    message: "all failed",
    name: "AggregateError",
    errors: [{ message: "broker a" }, { message: "broker b" }],
  });
});

Deno.test("a field named like a fixed key does not replace it", () => {
  const line = JSON.parse(captured({}, () => logger("x").info("real", { message: "fake" }))[0]!);
  assert.equal(line.message, "real");
});

Deno.test("LOG_LEVEL=warn drops debug and info lines and keeps warn and error", () => {
  const lines = captured({ level: "warn" }, () => {
    const log = logger("x");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
  });
  assert.deepEqual(lines.map((l) => JSON.parse(l).message), ["w", "e"]);
});

Deno.test("LOG_LEVEL=debug keeps debug lines; the default (info) drops them", () => {
  const debug = captured({ level: "debug" }, () => logger("x").debug("d"));
  const info = captured({}, () => logger("x").debug("d"));
  assert.equal(debug.length, 1);
  assert.equal(info.length, 0);
});

Deno.test("loggers outside the tracking root are not written", () => {
  // Libraries that use LogTape under their own category stay quiet.
  const lines = captured({ level: "debug" }, () => {
    getLogger(["somelib"]).error("noise");
    getLogger(["tracking", "x"]).error("ours");
  });
  assert.deepEqual(lines.map((l) => JSON.parse(l).message), ["ours"]);
});

Deno.test("the pretty format is one line with the level, the short logger name and key=value fields", () => {
  const lines = captured({ format: "pretty" }, () => {
    logger("http").info("request", { method: "GET", path: "/a b", status: 200 });
  });
  assert.match(
    lines[0]!,
    /^\d\d:\d\d:\d\d\.\d{3} INFO {2}http {5}request method=GET path="\/a b" status=200\n$/,
  );
});

Deno.test("both formats escape control and format characters of fields and messages, astral ones as pairs", () => {
  const value = "a\x1b]0;pwned\x07b\u{E0001}c\u2028";
  for (const format of ["json", "pretty"] as const) {
    const [line] = captured({ format }, () => {
      logger("http").info(`got {id}`, { id: value, nested: { id: value } });
    });
    assert.doesNotMatch(line!.slice(0, -1), /[\p{Cc}\u2028]|\u{E0001}/u, format);
    assert.ok(line!.includes("\\udb40\\udc01"), `${format}: ${line}`);
    if (format === "json") {
      const parsed = JSON.parse(line!);
      assert.deepEqual([parsed.message, parsed.id, parsed.nested.id], [
        `got ${value}`,
        value,
        value,
      ]);
    }
  }
});
