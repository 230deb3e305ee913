/**
 * The layer check: every import of every `.ts` file against {@linkcode LAYER_RULES}. Run it with
 * `deno task layers`; it prints each import that crosses a layer the wrong way and exits 1.
 * `check_layers_test.ts` runs it over the tree in `deno task test`.
 * @module
 */
import {
  INFRA_ONLY_PACKAGES,
  isTestFile,
  type Layer,
  LAYER_RULES,
  layerOf,
  packageOf,
  TEST_FILES,
  TEST_PACKAGES,
} from "./layer_rules.ts";

/** A source file: its path from the repository root (`/`-separated) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One import found in a file. */
export interface ImportLine {
  /** What follows `from` (or `import(`), as written. */
  readonly specifier: string;
  /** 1-based line of the specifier. */
  readonly line: number;
}

/** An import that breaks a rule. */
export interface LayerViolation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** Why it is refused, in one sentence. */
  readonly reason: string;
}

// `import … from "x"`, `export … from "x"` (type-only too), `import "x"`, `import("x")`.
const _STATIC = /^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm;
const _BARE = /^[ \t]*import\s*["']([^"']+)["']/gm;
const _DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The imports of a source text, in order of appearance. */
export function importsOf(text: string): ImportLine[] {
  const found: { index: number; specifier: string }[] = [];
  for (const pattern of [_STATIC, _BARE, _DYNAMIC]) {
    for (const match of text.matchAll(pattern)) {
      const index = match.index + match[0].lastIndexOf(match[1]!);
      found.push({ index, specifier: match[1]! });
    }
  }
  found.sort((a, b) => a.index - b.index);
  return found.map(({ index, specifier }) => ({
    specifier,
    line: text.slice(0, index).split("\n").length,
  }));
}

/** Every import of `files` that breaks {@linkcode LAYER_RULES}, file by file. */
export function checkImports(files: readonly SourceFile[]): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const helpers = testHelpers(files);
  for (const file of files) {
    const from = layerOf(file.path);
    const test = isTestFile(file.path) || helpers.has(file.path);
    for (const { specifier, line } of importsOf(file.text)) {
      const reason = from === undefined
        ? `${_folder(file.path)} is in no layer: give it one in tools/layer_rules.ts`
        : _refusal(file.path, { from, test }, specifier);
      if (reason) violations.push({ file: file.path, line, specifier, reason });
    }
  }
  return violations;
}

/**
 * The test helpers beside the code: files of a non-support layer whose name starts with `_`
 * (`actors/_test_fixtures.ts`, `routes/_route_testing.ts`) that some file imports and only test
 * files and other such helpers do. They follow the test rules; a helper that production code
 * imports is production code, checked as such.
 */
export function testHelpers(files: readonly SourceFile[]): Set<string> {
  const importers = new Map<string, Set<string>>();
  for (const file of files) {
    for (const { specifier } of importsOf(file.text)) {
      if (!specifier.startsWith(".")) continue;
      const target = resolveImport(file.path, specifier);
      if (!importers.has(target)) importers.set(target, new Set());
      importers.get(target)!.add(file.path);
    }
  }
  const helpers = new Set(
    files.map((f) => f.path).filter((path) =>
      /(^|\/)_[^/]*\.ts$/.test(path) && importers.has(path) && layerOf(path) !== "support"
    ),
  );
  // Drop a candidate some non-test file imports, until none is left to drop.
  for (let dropped = true; dropped;) {
    dropped = false;
    for (const path of helpers) {
      if ([...importers.get(path)!].every((i) => isTestFile(i) || helpers.has(i))) continue;
      helpers.delete(path);
      dropped = true;
    }
  }
  return helpers;
}

/** Why `path` may not import `specifier`, or `undefined` when it may. */
function _refusal(
  path: string,
  { from, test }: { readonly from: Layer; readonly test: boolean },
  specifier: string,
): string | undefined {
  const rule = LAYER_RULES[from];
  if (!specifier.startsWith(".")) {
    const name = packageOf(specifier);
    if (test && TEST_PACKAGES.some((p) => p === name)) return undefined;
    if (rule.packages === "any") {
      const infraOnly = from !== "infra" && from !== "wiring" && from !== "support" &&
        INFRA_ONLY_PACKAGES.some((p) => p === name);
      return infraOnly ? `${from} may not use ${name}: Kafka and SQL belong in infra` : undefined;
    }
    return rule.packages.includes(name)
      ? undefined
      : `${from} may use only ${_list(rule.packages)} of the packages`;
  }
  const target = resolveImport(path, specifier);
  const to = layerOf(target);
  if (to === undefined) return `${target} is in no layer: give it one in tools/layer_rules.ts`;
  if (rule.layers.includes(to) || rule.files?.includes(target)) return undefined;
  if (test && TEST_FILES.some((f) => f === target)) return undefined;
  const also = rule.files ? ` (and ${rule.files.join(", ")})` : "";
  return `${from} may import ${_list(rule.layers)}${also}, not ${to} (${target})`;
}

/** The path from the repository root that `specifier`, imported by `path`, points at. */
export function resolveImport(path: string, specifier: string): string {
  const parts = path.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

function _folder(path: string): string {
  return path.split("/")[0] + "/";
}

function _list(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.join(", ");
}

/**
 * Every `.ts` file under `root`, with paths from `root`; hidden folders (`.git`, `.data`) and
 * `node_modules` are skipped.
 */
export async function readTree(root: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = prefix + entry.name;
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`, `${path}/`);
      else if (entry.isFile && entry.name.endsWith(".ts")) {
        files.push({ path, text: await Deno.readTextFile(`${dir}/${entry.name}`) });
      }
    }
  }
  await walk(root, "");
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** One line per violation: `file:line imports "specifier": reason`. */
export function formatViolations(violations: readonly LayerViolation[]): string {
  return violations.map((v) => `${v.file}:${v.line} imports "${v.specifier}": ${v.reason}`)
    .join("\n");
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname;
  const violations = checkImports(await readTree(root));
  if (violations.length > 0) {
    console.error(`${violations.length} imports cross a layer the wrong way:`);
    console.error(formatViolations(violations));
    Deno.exit(1);
  }
  console.log("layers: every import follows docs/architecture.md");
}
