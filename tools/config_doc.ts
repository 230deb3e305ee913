import { SETTING_GROUPS } from "../infra/config.ts";
import type { Setting } from "../infra/config_setting.ts";

/**
 * `deno task config:doc`: writes the settings tables of docs/configuration.md from the schema
 * (`infra/config.ts` and the `infra/config_*.ts` files beside it), between
 * {@linkcode BEGIN_MARK} and {@linkcode END_MARK}, then formats the file with `deno fmt`.
 * `tools/config_doc_test.ts` fails when the doc and the schema differ.
 */
export const BEGIN_MARK =
  "<!-- settings: begin. Written by `deno task config:doc` from infra/config_*.ts; do not edit -->";
/** The end of the generated part. */
export const END_MARK = "<!-- settings: end -->";

/** The file the tables go in. */
export const CONFIG_DOC = new URL("../docs/configuration.md", import.meta.url);

/** The generated part: one table per area of settings, each under a heading. */
export function settingsTables(): string {
  const parts = SETTING_GROUPS.map(({ title, settings }) => {
    const rows = Object.entries(settings as Record<string, Setting>).map(([name, s]) =>
      _row([`\`${name}\``, s.type, s.shown, s.unit, _meaning(s)])
    );
    const header = _row(["variable", "type", "default", "unit", "meaning"]);
    return [`### ${title}`, "", header, _row(["---", "---", "---", "---", "---"]), ...rows]
      .join("\n");
  });
  return parts.join("\n\n");
}

/** `doc` with the generated part replaced by `tables`; throws when a mark is missing. */
export function withTables(doc: string, tables: string): string {
  const begin = doc.indexOf(BEGIN_MARK);
  const end = doc.indexOf(END_MARK);
  if (begin < 0 || end < begin) {
    throw new Error(`docs/configuration.md needs the marks ${BEGIN_MARK} and ${END_MARK}`);
  }
  return `${doc.slice(0, begin + BEGIN_MARK.length)}\n\n${tables}\n\n${doc.slice(end)}`;
}

/** The generated part of `doc`, each table cell trimmed: what `deno fmt` pads is left out. */
export function generatedPart(doc: string): string[] {
  const begin = doc.indexOf(BEGIN_MARK);
  const end = doc.indexOf(END_MARK);
  if (begin < 0 || end < begin) return [];
  return doc.slice(begin + BEGIN_MARK.length, end).split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.startsWith("|") ? _cells(line).join(" | ") : line);
}

function _meaning(s: Setting): string {
  if (s.oldNames.length === 0) return s.doc;
  const old = s.oldNames.map((n) => `\`${n}\``).join(", ");
  return `${s.doc} (formerly ${old}: still read, with a deprecation line at start-up)`;
}

function _row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
}

/** The cells of a table row, trimmed; a separator cell (`---`, `:--`) is `---`. */
function _cells(line: string): string[] {
  const cells = line.replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((c) => c.trim());
  return cells.map((c) => /^:?-+:?$/.test(c) ? "---" : c);
}

async function _main(): Promise<void> {
  const doc = await Deno.readTextFile(CONFIG_DOC);
  await Deno.writeTextFile(CONFIG_DOC, withTables(doc, settingsTables()));
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", CONFIG_DOC.pathname],
  }).spawn().status;
  if (!fmt.success) Deno.exit(fmt.code);
  console.error(`wrote the settings tables of ${CONFIG_DOC.pathname}`);
}

if (import.meta.main) await _main();
