/**
 * The size check: production files over {@linkcode SIZE_LIMITS}`.fileLines` lines and functions
 * over `functionLines` lines (`bench/`, `sim/` and `demo/` included; tests, `tests/` and `tools/`
 * excluded).
 * Functions are measured by a lint plugin through `Deno.lint.runPlugin`, which Deno allows only
 * under `deno test`: the check over the tree is `size_report_test.ts` (`deno task sizes`, and
 * part of `deno task test`).
 * @module
 */
import type { SourceFile } from "./check_layers.ts";
import { isTestFile, layerOf } from "./layer_rules.ts";

/**
 * The limits of the code rules. With `enforced: true`, `deno task sizes` and `deno task test`
 * fail on any production file or function over them; `false` would only report them.
 */
export const SIZE_LIMITS = { fileLines: 250, functionLines: 60, enforced: true } as const;

/** A file or function over its limit. */
export interface SizeViolation {
  readonly file: string;
  /** 1-based first line of the function; 1 for a whole file. */
  readonly line: number;
  /** What is too long: `file`, or the function's name (`<anonymous>` when it has none). */
  readonly what: string;
  readonly lines: number;
}

/**
 * True for a file the size rules apply to: production code, the benchmark, the simulator and the
 * demo, not tests or tools.
 */
export function isProductionFile(path: string): boolean {
  if (isTestFile(path)) return false;
  if (_MEASURED_SUPPORT.some((folder) => path.startsWith(folder))) return true;
  const layer = layerOf(path);
  return layer !== undefined && layer !== "support";
}

/** Support folders the size rules measure like production code. */
const _MEASURED_SUPPORT = ["bench/", "sim/", "demo/"] as const;

/** Lines of a text, as `wc -l` counts them for a file that ends with a newline. */
export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Production files longer than `max` lines. */
export function longFiles(
  files: readonly SourceFile[],
  max: number = SIZE_LIMITS.fileLines,
): SizeViolation[] {
  return files
    .filter((f) => isProductionFile(f.path))
    .map((f) => ({ file: f.path, line: 1, what: "file", lines: lineCount(f.text) }))
    .filter((v) => v.lines > max);
}

type _FunctionNode =
  | Deno.lint.FunctionDeclaration
  | Deno.lint.FunctionExpression
  | Deno.lint.ArrowFunctionExpression;

/** A lint plugin whose rule `max-function-lines` reports every function over `max` lines. */
export function functionLengthPlugin(max: number = SIZE_LIMITS.functionLines): Deno.lint.Plugin {
  return {
    name: "sizes",
    rules: {
      "max-function-lines": {
        create(context) {
          const check = (node: _FunctionNode) => {
            const [start, end] = node.range;
            const text = context.sourceCode.text;
            const lines = text.slice(start, end).split("\n").length;
            if (lines <= max) return;
            const line = text.slice(0, start).split("\n").length;
            context.report({ node, message: `${line}:${_nameOf(node)}:${lines}` });
          };
          return {
            FunctionDeclaration: check,
            FunctionExpression: check,
            ArrowFunctionExpression: check,
          };
        },
      },
    },
  };
}

/** The name a function is known by: its own, its method's, or its variable's. */
function _nameOf(node: _FunctionNode): string {
  if (node.type !== "ArrowFunctionExpression" && node.id) return node.id.name;
  const parent = node.parent;
  if (parent.type === "MethodDefinition" || parent.type === "Property") {
    if (parent.key.type === "Identifier") return parent.key.name;
    if (parent.key.type === "PrivateIdentifier") return `#${parent.key.name}`;
  }
  if (parent.type === "VariableDeclarator" && parent.id.type === "Identifier") {
    return parent.id.name;
  }
  return "<anonymous>";
}

/** Functions of production files longer than `max` lines. Only under `deno test`. */
export function longFunctions(
  files: readonly SourceFile[],
  max: number = SIZE_LIMITS.functionLines,
): SizeViolation[] {
  const plugin = functionLengthPlugin(max);
  const out: SizeViolation[] = [];
  for (const file of files.filter((f) => isProductionFile(f.path))) {
    for (const d of Deno.lint.runPlugin(plugin, file.path, file.text)) {
      const [line, what, lines] = d.message.split(":");
      out.push({ file: file.path, line: Number(line), what: what!, lines: Number(lines) });
    }
  }
  return out;
}

/** One line per violation: `file:line what (N lines)`. */
export function formatSizes(violations: readonly SizeViolation[]): string {
  return violations.map((v) => `${v.file}:${v.line} ${v.what} (${v.lines} lines)`).join("\n");
}
