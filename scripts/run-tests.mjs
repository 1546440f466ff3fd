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
// Two files at a time: Node's default is one fewer than the cores (one, on the 2-core machines
// CI runs on), and most files wait on child processes or compile TypeScript, so two finish the
// suite in about half the time. LENET5_TEST_CONCURRENCY overrides it (1 to debug).
const concurrency = process.env.LENET5_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files],
  {
    cwd: root,
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
