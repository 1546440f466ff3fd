#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first that fails — types, lint, the build,
// unit tests, packaging, the learner's project, notebooks, Jupyter, the site — each timed, with a
// table of the times at the end (the whole run should stay under 25 minutes on two cores).
//
//   node scripts/test-all.mjs [--from STAGE] [--only STAGE,STAGE]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

/** The stages: npm scripts of package.json, in the order they run. */
const STAGES = [
  "typecheck",
  "lint",
  "build",
  "test:unit",
  "test:pack",
  "test:learner",
  "notebooks:check",
  "test:notebooks",
  "test:jupyter",
  "site:build",
  "test:site",
  "test:site-layout",
  "test:train-view",
];

const { values } = parseArgs({
  options: { from: { type: "string" }, only: { type: "string" } },
});
const unknown = [values.from, ...(values.only?.split(",") ?? [])].filter(
  (s) => s !== undefined && !STAGES.includes(s),
);
if (unknown.length > 0) {
  console.error(`test-all: no stage ${unknown.join(", ")}; the stages are ${STAGES.join(", ")}`);
  process.exit(2);
}
const chosen = values.only
  ? STAGES.filter((s) => values.only.split(",").includes(s))
  : STAGES.slice(values.from ? STAGES.indexOf(values.from) : 0);

const times = [];
const started = performance.now();
const minutes = (ms) => `${(ms / 60_000).toFixed(1)} min`;
function summary() {
  const width = Math.max(...times.map((t) => t.stage.length));
  console.log("\ntest-all: time per stage");
  for (const { stage, ms, ok } of times) {
    console.log(`  ${stage.padEnd(width)}  ${minutes(ms).padStart(9)}${ok ? "" : "  FAILED"}`);
  }
  console.log(`  ${"total".padEnd(width)}  ${minutes(performance.now() - started).padStart(9)}`);
}
for (const stage of chosen) {
  console.log(`\ntest-all: ${stage}`);
  const begun = performance.now();
  const result = spawnSync("npm", ["run", "-s", stage], { stdio: "inherit" });
  const ok = result.status === 0;
  times.push({ stage, ms: performance.now() - begun, ok });
  if (!ok) {
    summary();
    console.error(`test-all: ${stage} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}
summary();
