// The build, the type check and `npx tsc` run the pinned TypeScript; the notebooks keep tslab's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import {
  PINNED_TSC,
  pinnedTypescriptVersion,
  rootPackage,
  scriptCompilers,
  tslabCompilerVersion,
  versionOfCompiler,
} from "./pinned-compiler.mjs";

const root = new URL("../..", import.meta.url).pathname;
const printedVersion = (args) =>
  execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trim();

test("the pinned TypeScript is an exact version, and its alias pins the same one", () => {
  const pinned = pinnedTypescriptVersion();
  assert.match(pinned, /^\d+\.\d+\.\d+$/);
  assert.equal(rootPackage().devDependencies["@lenet5/typescript"], `npm:typescript@${pinned}`);
});

test("npm run build and npm run typecheck run the pinned compiler, which prints its version", () => {
  for (const script of ["build", "typecheck"]) {
    assert.deepEqual(scriptCompilers(script), [PINNED_TSC], `${script} runs node ${PINNED_TSC}`);
  }
  assert.equal(versionOfCompiler(PINNED_TSC), pinnedTypescriptVersion());
  assert.equal(printedVersion([PINNED_TSC, "--version"]), `Version ${pinnedTypescriptVersion()}`);
});

test("no npm script calls a bare tsc (node_modules/.bin may hold another one)", () => {
  for (const [name, script] of Object.entries(rootPackage().scripts)) {
    assert.doesNotMatch(script, /(^|[;&|]\s*)tsc\b/, `script "${name}" calls a bare tsc`);
  }
});

test("npx tsc (node_modules/.bin/tsc) is the pinned version", () => {
  const bin = realpathSync(join(root, "node_modules", ".bin", "tsc"));
  assert.equal(versionOfCompiler(bin), pinnedTypescriptVersion(), `.bin/tsc → ${bin}`);
  assert.equal(printedVersion([bin, "--version"]), `Version ${pinnedTypescriptVersion()}`);
});

test("the notebooks keep tslab's own compiler", () => {
  // tslab type-checks cells with its bundled fork (FACTS.md: TypeScript 5.0).
  assert.match(tslabCompilerVersion(), /^5\.0\./);
  assert.notEqual(tslabCompilerVersion(), pinnedTypescriptVersion());
});
