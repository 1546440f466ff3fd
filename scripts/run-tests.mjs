#!/usr/bin/env node
// Runs every test file that sits beside its source (src/**/*.test.ts, and the site scripts'
// helpers, scripts/lib/*.test.mjs) with Node's own test runner; tsx compiles TypeScript on the
// fly. Node 20's --test takes no globs, so we list files.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const filter = process.argv.slice(2);

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return /\.test\.(ts|mjs)$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

const files = [...testFiles(join(root, "src")), ...testFiles(join(root, "scripts", "lib"))]
  .filter((f) => filter.length === 0 || filter.some((word) => f.includes(word)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${filter.join(" ") || "src/**/*.test.ts"}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...files], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
