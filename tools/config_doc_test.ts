import assert from "node:assert/strict";
import { SETTINGS } from "../infra/config.ts";
import { CONFIG_DOC, END_MARK, generatedPart, settingsTables, withTables } from "./config_doc.ts";

Deno.test("docs/configuration.md has the settings tables of the schema (deno task config:doc)", async () => {
  const doc = await Deno.readTextFile(CONFIG_DOC);
  const expected = generatedPart(withTables(doc, settingsTables()));
  assert.ok(expected.length > Object.keys(SETTINGS).length, "the doc has the marks");
  assert.deepEqual(
    generatedPart(doc),
    expected,
    "docs/configuration.md and the settings schema differ: run `deno task config:doc`",
  );
});

Deno.test("the settings tables have one row per setting, and every setting has one", () => {
  const rows = settingsTables().split("\n").filter((l) => l.startsWith("| `"));
  const named = rows.map((r) => r.match(/^\| `([A-Z0-9_]+)`/)?.[1]);
  assert.deepEqual(named.toSorted(), Object.keys(SETTINGS).toSorted());
});

Deno.test("the doc check sees a changed default, a missing row and an edit by hand", async () => {
  const doc = withTables(await Deno.readTextFile(CONFIG_DOC), settingsTables());
  const tables = generatedPart(doc);
  const changed = doc.replace("| `PORT` | port | `8000` |", "| `PORT` | port | `8080` |");
  assert.notEqual(changed, doc);
  assert.notDeepEqual(generatedPart(changed), tables);
  const missing = doc.replace(/^\| `HOST`.*\n/m, "");
  assert.notDeepEqual(generatedPart(missing), tables);
  const padded = doc.replace("| `PORT` | port |", "|   `PORT`   |   port   |");
  assert.deepEqual(generatedPart(padded), tables, "padding (deno fmt) is not a difference");
  assert.throws(() => withTables(doc.replace(END_MARK, ""), "x"), /needs the marks/);
});
