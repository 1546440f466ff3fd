#!/usr/bin/env node
// Packaging check, part of `npm test`: packs lenet5 the way npm publishes it, installs the
// tarball into a fresh project in a temporary folder (from npm's cache where it can), then
//   1. type-checks and runs the README's library snippet there, as a learner's ESM project would;
//   2. require()s the package from CommonJS, as the tslab kernel does, and its subpaths
//      lenet5/bench and lenet5/browser (package.json `exports`), which TypeScript must find under
//      both nodenext and node10 resolution (tslab's: `typesVersions`);
//   3. runs the `lenet5` bin.
// Fails, naming the step, if anything a learner would copy does not work outside this repo.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PINNED_TSC } from "./lib/pinned-compiler.mjs";

const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "lenet5-pack-"));
const run = (step, cmd, args, cwd) => {
  process.stdout.write(`check-pack: ${step}\n`);
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    console.error(`check-pack: FAILED at "${step}"\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    process.exit(1);
  }
};

try {
  const packed = JSON.parse(
    run("npm pack", "npm", ["pack", "--json", "--pack-destination", work], root),
  );
  const files = packed[0].files.map((f) => f.path);
  const mustHave = [
    "dist/index.js",
    "dist/index.d.ts",
    "dist/cli/main.js",
    "package.json",
    "README.md",
    "weights/historical/manifest.json",
    // The PyTorch twin `lenet5 bench` runs beside tfjs: the one script an installed lenet5 needs.
    "scripts/bench_torch.py",
    // Recorded results chapters 8 and 10 chart, read from the installed package.
    "docs/benchmark-results.json",
    "docs/sdlm-study/grid.json",
  ];
  const missing = mustHave.filter((f) => !files.includes(f));
  const stray = files.filter(
    (f) =>
      /\.test\.|test-support|^src\/|^notebooks\/|^scripts\//.test(f) &&
      f !== "scripts/bench_torch.py",
  );
  if (missing.length || stray.length) {
    console.error(
      `check-pack: tarball missing [${missing}] or carrying test/source files [${stray}]`,
    );
    process.exit(1);
  }
  const tarball = join(work, packed[0].filename);

  const project = join(work, "learner");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "learner", private: true, type: "module" }),
  );
  run(
    "npm install <tarball>",
    "npm",
    ["install", tarball, "--omit=optional", "--prefer-offline", "--no-audit", "--no-fund"],
    project,
  );

  // The README's "Use it as a library" snippet, verbatim.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const snippet = readme.split("## Use it as a library")[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!snippet) throw new Error("README has no ```ts block under 'Use it as a library'");
  writeFileSync(join(project, "snippet.mts"), snippet);
  const tsc = PINNED_TSC;
  run(
    "type-check the README snippet",
    process.execPath,
    [
      tsc,
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--strict",
      "--skipLibCheck",
      "snippet.mts",
    ],
    project,
  );
  const out = run("run the README snippet", process.execPath, ["snippet.mjs"], project);
  if (!out.includes("60000"))
    throw new Error(`README snippet printed ${JSON.stringify(out)}, expected 60000`);

  run(
    "require() from CommonJS",
    process.execPath,
    [
      "-e",
      "const l = require('lenet5'); if (typeof l.createModel !== 'function') process.exit(1);",
    ],
    project,
  );
  run(
    "require() the subpaths lenet5/bench and lenet5/browser from CommonJS",
    process.execPath,
    [
      "-e",
      [
        "const root = require('lenet5');",
        "if (typeof require('lenet5/bench').runBenchmark !== 'function') process.exit(1);",
        "if (typeof require('lenet5/browser').initBrowserBackend !== 'function') process.exit(2);",
        "if ('runBenchmark' in root) process.exit(3);", // the benchmark is a subpath only
      ].join(" "),
    ],
    project,
  );
  const subpaths = [
    'import { createModel } from "lenet5";',
    'import { runBenchmark } from "lenet5/bench";',
    'import { activationProbe, initBrowserBackend } from "lenet5/browser";',
    "export const used = [createModel, runBenchmark, activationProbe, initBrowserBackend];",
  ].join("\n");
  writeFileSync(join(project, "subpaths.mts"), subpaths);
  writeFileSync(join(project, "subpaths-cjs.ts"), subpaths);
  for (const [resolution, module, file] of [
    ["nodenext", "nodenext", "subpaths.mts"],
    ["node10", "commonjs", "subpaths-cjs.ts"],
  ]) {
    run(
      `type-check the subpaths with ${resolution} resolution`,
      process.execPath,
      [
        tsc,
        "--module",
        module,
        "--moduleResolution",
        resolution,
        "--strict",
        "--skipLibCheck",
        "--noEmit",
        file,
      ],
      project,
    );
  }
  const summary = JSON.parse(
    run(
      "npx lenet5 summary",
      "npx",
      ["--no-install", "lenet5", "summary", "--model", "historical", "--json"],
      project,
    ),
  );
  if (summary.totalParams !== 60000 || summary.totalConnections !== 340908) {
    throw new Error(
      `bin summary gave ${summary.totalParams} params, ${summary.totalConnections} connections`,
    );
  }
  console.log(
    `check-pack: ok (${files.length} files, ${(packed[0].size / 1024).toFixed(0)} KiB packed)`,
  );
} catch (error) {
  console.error(`check-pack: FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
