// Which TypeScript compiler builds lenet5, and which one `npx tsc` finds. Two compilers are
// installed: the pinned `typescript` (package.json devDependencies) and tslab's bundled fork
// `@tslab/typescript-for-tslab` (5.0, which the notebooks' kernel uses). Both ship a `tsc` bin,
// and npm links the first package path in sort order into node_modules/.bin ("@tslab/…" sorts
// before "typescript"), so a bare `tsc` ran 5.0. The npm scripts therefore name the pinned
// compiler's file, and the alias devDependency `@lenet5/typescript` (the same pinned version)
// sorts before "@tslab/…" and wins the .bin/tsc link for `npx tsc`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;

/** The repository's package.json. */
export function rootPackage() {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
}

/** The pinned TypeScript version: package.json's devDependencies.typescript, an exact version. */
export function pinnedTypescriptVersion() {
  return rootPackage().devDependencies.typescript;
}

/** The compiler file the npm scripts run (what `node <this>` starts). */
export const PINNED_TSC = join(root, "node_modules", "typescript", "bin", "tsc");

/**
 * The compiler files the given npm script runs as `node <file>`, resolved against the root:
 * e.g. ["…/node_modules/typescript/bin/tsc"] for "build". Empty if it runs none that way.
 */
export function scriptCompilers(scriptName) {
  const script = rootPackage().scripts[scriptName] ?? "";
  return [...script.matchAll(/\bnode (\S*\/tsc)\b/g)].map((m) => join(root, m[1]));
}

/** The version of the TypeScript package that `bin` (a path to its bin/tsc) belongs to. */
export function versionOfCompiler(bin) {
  return JSON.parse(readFileSync(join(dirname(bin), "..", "package.json"), "utf8")).version;
}

/** The version of the TypeScript that tslab loads (its bundled fork, resolved from tslab). */
export function tslabCompilerVersion() {
  const require = createRequire(join(root, "package.json"));
  const tslab = dirname(require.resolve("tslab/package.json"));
  const fork = createRequire(join(tslab, "package.json")).resolve(
    "@tslab/typescript-for-tslab/package.json",
  );
  return JSON.parse(readFileSync(fork, "utf8")).version;
}
