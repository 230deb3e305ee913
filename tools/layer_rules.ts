/**
 * The layers of the code and what each may import (docs/architecture.md explains them). Checked by
 * `check_layers.ts`; a test runs it over the tree, so CI fails on an import that crosses a layer
 * the wrong way.
 * @module
 */

/** A layer of the code. */
export type Layer =
  | "lib"
  | "domain"
  | "runtime"
  | "actors"
  | "infra"
  | "routes"
  | "wiring"
  | "support";

/** What files of a layer may import. */
export interface LayerRule {
  /** Layers whose files it may import (its own included when listed). */
  readonly layers: readonly Layer[];
  /** Files of other layers it may import besides, by path from the repository root. */
  readonly files?: readonly string[];
  /**
   * Packages (`npm:`/import-map names and `node:` built-ins) it may import: a list, or `"any"`.
   * A subpath (`hono/ws`) counts as its package (`hono`).
   */
  readonly packages: readonly string[] | "any";
}

/** Packages only `infra/` (and wiring, tests, benchmarks) may touch: Kafka and PostgreSQL clients. */
export const INFRA_ONLY_PACKAGES = [
  "@platformatic/kafka",
  "kafkajs",
  "postgres",
  "@electric-sql/pglite",
  "@electric-sql/pglite-socket",
] as const;

/** Packages a test file may import besides its layer's. */
export const TEST_PACKAGES = ["node:assert", "@sinonjs/fake-timers", "prom-client"] as const;

/**
 * Files a test file may import besides its layer's: the Prometheus registries, so an actor's test
 * can read what the actor counted.
 */
export const TEST_FILES = ["infra/metrics.ts", "infra/retention_metrics.ts"] as const;

/** The rules, one per layer. */
export const LAYER_RULES: Readonly<Record<Layer, LayerRule>> = {
  lib: { layers: ["lib"], packages: ["@logtape/logtape"] },
  // node:crypto: the device key's hash is a domain rule (pure computation, no I/O).
  domain: { layers: ["domain"], packages: ["zod", "node:crypto"] },
  runtime: { layers: ["runtime", "lib"], packages: [] },
  actors: {
    layers: ["actors", "runtime", "domain", "lib"],
    packages: ["zod", "supercluster", "rbush"],
  },
  infra: { layers: ["infra", "domain", "lib"], packages: "any" },
  routes: {
    layers: ["routes", "actors", "runtime", "domain", "lib"],
    // The Prometheus registry: routes count refusals and open sockets in it.
    files: ["infra/metrics.ts"],
    packages: "any",
  },
  wiring: {
    layers: ["wiring", "routes", "actors", "runtime", "infra", "domain", "lib"],
    packages: "any",
  },
  support: {
    layers: ["support", "wiring", "routes", "actors", "runtime", "infra", "domain", "lib"],
    packages: "any",
  },
};

/** Folders of each layer, by path prefix; the longest prefix wins. */
const _FOLDERS: readonly (readonly [string, Layer])[] = [
  ["lib/", "lib"],
  ["domain/", "domain"],
  ["actors/runtime/", "runtime"],
  ["actors/", "actors"],
  ["infra/", "infra"],
  ["routes/", "routes"],
  ["pipelines/", "wiring"],
  ["tests/", "support"],
  ["bench/", "support"],
  ["sim/", "support"],
  ["demo/", "support"],
  ["tools/", "support"],
];

/**
 * The layer of a file (a path from the repository root, `/`-separated): by folder, and `wiring`
 * for a file at the root (`main.ts`, `service.ts`, the pipeline files). `undefined` for a folder
 * no rule covers: such a folder must be given a layer in `_FOLDERS` before it holds code.
 */
export function layerOf(path: string): Layer | undefined {
  if (!path.includes("/")) return "wiring";
  let best: readonly [string, Layer] | undefined;
  for (const entry of _FOLDERS) {
    if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/**
 * True for a test file or a test helper by its name (`*_test.ts`, `_testing.ts`). The layer check
 * also reads as test helpers the `_` files beside the code that only tests import
 * (`testHelpers` in `check_layers.ts`).
 */
export function isTestFile(path: string): boolean {
  return /_test\.ts$/.test(path) || /(^|\/)_testing\.ts$/.test(path);
}

/** The package a bare specifier names: `@scope/name`, `name`, or `node:name`. */
export function packageOf(specifier: string): string {
  if (specifier.startsWith("node:")) return specifier.split("/")[0]!;
  const parts = specifier.replace(/^npm:\/?/, "").split("/");
  const name = parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return name.replace(/(.)@[^/]*$/, "$1");
}
