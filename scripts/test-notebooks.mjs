#!/usr/bin/env node
// `npm run test:notebooks`: runs scripts/setup-jupyter.sh (Jupyter + the project's tslab kernel),
// then executes every notebooks/*.ipynb and notebooks/solutions/*.ipynb headless with the tslab
// kernel, two at a time, each under one time limit. Executed copies go to test-output/notebooks/
// (the website reuses the chapters'). A failure names the notebook, the failing cell (index and
// first line) and the error text. A solutions notebook also fails unless its outputs show at least
// one ✓ and no ✗ (every exercise check in it must pass).
// Before them, a self-test (when no filter is given, or the filter "claim"): a generated notebook
// whose cell makes a false claim must fail the run with an error naming the claim, and one with a
// true claim must pass — so a chapter whose prose its outputs contradict cannot pass.
// Beside each copy, NN-name.meta.json records who executed it (lenet5, tfjs, backend, Node, date)
// for the site's notebook pages.
//
//   node scripts/test-notebooks.mjs [--jobs N] [--timeout SECONDS] [name-filter ...]
//
// Environment: LENET5_NOTEBOOK_TIMEOUT (seconds per notebook, default 600), LENET5_NOTEBOOK_JOBS.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const notebooksDir = join(root, "notebooks");
const outputDir = join(root, "test-output", "notebooks");
const started = performance.now();

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    jobs: {
      type: "string",
      default: process.env.LENET5_NOTEBOOK_JOBS ?? String(Math.min(2, availableParallelism())),
    },
    timeout: { type: "string", default: process.env.LENET5_NOTEBOOK_TIMEOUT ?? "600" },
  },
});
const jobs = Math.max(1, Number.parseInt(values.jobs, 10) || 1);
const timeoutSeconds = Number(values.timeout);
if (!(timeoutSeconds > 0))
  throw new Error(`--timeout must be a positive number of seconds, got ${values.timeout}`);

const setup = spawnSync("bash", [join(root, "scripts", "setup-jupyter.sh")], { stdio: "inherit" });
if (setup.status !== 0) {
  console.error("test-notebooks: Jupyter setup failed (see above)");
  process.exit(1);
}
const config = JSON.parse(readFileSync(join(root, ".jupyter-local", "setup.json"), "utf8"));

const solutionsDir = join(notebooksDir, "solutions");
const matchesFilter = (name) =>
  positionals.length === 0 || positionals.some((word) => name.includes(word));
const notebooks = [
  ...readdirSync(notebooksDir).filter((name) => name.endsWith(".ipynb")),
  ...(existsSync(solutionsDir)
    ? readdirSync(solutionsDir)
        .filter((name) => name.endsWith(".ipynb"))
        .map((name) => `solutions/${name}`)
    : []),
]
  .filter(matchesFilter)
  .sort();
const runSelfTest = positionals.length === 0 || positionals.includes("claim");
if (notebooks.length === 0 && !runSelfTest) {
  console.error(
    `test-notebooks: no notebooks match ${positionals.join(" ") || "notebooks/*.ipynb"}`,
  );
  process.exit(1);
}
if (positionals.length === 0) rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });

const env = {
  ...process.env,
  JUPYTER_PATH: [config.jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(":"),
  // Keep the kernel's connection files inside the project rather than in ~/.local/share/jupyter.
  JUPYTER_RUNTIME_DIR: join(root, ".jupyter-local", "runtime"),
};

// What the notebooks run on, recorded beside each executed copy: versions as the kernel resolves
// them from notebooks/, and the backend lenet5's initBackend() picks in the kernel's environment.
const requireFromNotebooks = createRequire(join(notebooksDir, "package.json"));
const versionOf = (name) => {
  try {
    return JSON.parse(readFileSync(requireFromNotebooks.resolve(`${name}/package.json`), "utf8"))
      .version;
  } catch {
    return "unknown";
  }
};
const kernelNode = spawnSync(config.node, ["--version"], { encoding: "utf8" }).stdout.trim();
const probe = spawnSync(
  config.node,
  ["-e", 'require("lenet5").initBackend().then((backend) => console.log(backend))'],
  { cwd: notebooksDir, env, encoding: "utf8" },
);
const runtime = {
  lenet5: versionOf("lenet5"),
  tfjs: versionOf("@tensorflow/tfjs-core"),
  backend: probe.status === 0 ? probe.stdout.trim().split("\n").pop() : "unknown",
  node: kernelNode.replace(/^v/, "") || "unknown",
  kernel: config.kernel,
};

/** Writes NN-name.meta.json beside the executed copy of a notebook. */
function recordExecution(result) {
  const meta = {
    notebook: `notebooks/${result.name}`,
    ...runtime,
    executedAt: new Date().toISOString(),
    seconds: result.seconds ?? null,
    ok: result.ok,
  };
  const file = join(outputDir, result.name.replace(/\.ipynb$/, ".meta.json"));
  writeFileSync(file, `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * Executes one notebook (`name` relative to notebooks/); the executed copy goes to `output`.
 * Resolves to { name, ok, seconds, cell?, firstLine?, error? }.
 */
function execute(name, output = join(outputDir, name)) {
  return new Promise((resolve) => {
    const source = join(notebooksDir, name);
    const child = spawn(
      config.python,
      [
        join(root, "scripts", "execute-notebook.py"),
        source,
        output,
        "--timeout",
        String(timeoutSeconds),
        "--kernel",
        config.kernel,
      ],
      // tslab's rootDir is the notebook's own folder.
      { cwd: dirname(source), env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    // Backstop in case the Python side hangs past its own deadline: it stops the kernel on SIGTERM.
    const backstop = setTimeout(() => child.kill("SIGTERM"), (timeoutSeconds + 60) * 1000);
    child.on("close", (code) => {
      clearTimeout(backstop);
      const report = stdout.trim().split("\n").pop();
      try {
        resolve({ name, ...JSON.parse(report) });
      } catch {
        resolve({
          name,
          ok: false,
          error: `executor exited ${code} without a report\n${stderr.trim()}`,
        });
      }
    });
  });
}

// Stack frames from tslab's own machinery say nothing about the notebook: drop them.
const machinery =
  /node_modules[\\/](tslab|commander)[\\/]|\(node:vm:|at sigintHandlersWrap|^\s*at (async )?(Script|Object)\.runInThisContext/;
const errorLines = (text) => text.split("\n").filter((line) => !machinery.test(line));

function print(result) {
  const time = result.seconds === undefined ? "" : ` (${result.seconds} s)`;
  if (result.ok) {
    console.log(`ok    ${name(result)}${time}`);
    return;
  }
  const where =
    result.where ??
    (result.cell === undefined || result.cell === null
      ? "before any cell ran"
      : `cell ${result.cell}`);
  const firstLine = result.firstLine ? `: ${result.firstLine}` : "";
  console.log(`FAIL  ${name(result)}${time}: ${where}${firstLine}`);
  console.log(
    errorLines(result.error)
      .map((line) => `      | ${line}`)
      .join("\n"),
  );
}
const name = (result) => relative(root, join(notebooksDir, result.name));

/** Everything a notebook's cells printed (stream and text outputs), as one string. */
function printedText(file) {
  const notebook = JSON.parse(readFileSync(file, "utf8"));
  return notebook.cells
    .flatMap((cell) => cell.outputs ?? [])
    .map((output) => {
      const text = output.text ?? output.data?.["text/plain"] ?? "";
      return Array.isArray(text) ? text.join("") : text;
    })
    .join("");
}

/**
 * A solutions notebook passes only when its checks all passed: at least one ✓ and no ✗ among
 * its outputs. Returns the result, failed with the reason if not.
 */
function judgeSolutions(result) {
  if (!result.ok || !result.name.startsWith("solutions/")) return result;
  const text = printedText(join(outputDir, result.name));
  const crosses = text.split("\n").filter((line) => line.includes("✗"));
  if (crosses.length > 0)
    return {
      ...result,
      ok: false,
      where: "its checks",
      error: `a check printed ✗:\n${crosses.join("\n")}`,
    };
  if (!text.includes("✓"))
    return { ...result, ok: false, where: "its checks", error: "no check printed ✓" };
  return result;
}

/** One cell of TypeScript as a minimal tslab notebook. */
const oneCellNotebook = (code) => ({
  cells: [
    {
      cell_type: "code",
      id: "claimtest",
      metadata: {},
      execution_count: null,
      outputs: [],
      source: [code],
    },
  ],
  metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
  nbformat: 4,
  nbformat_minor: 5,
});

/**
 * The claim self-test: a false claim must fail its notebook with an error that names the claim,
 * a true one must pass and print ✓. The temporary notebooks live in notebooks/ (tslab's rootDir
 * is the notebook's folder, and "lenet5" resolves from there) and are removed even on failure.
 * Returns the list of faults (empty when both behaved).
 */
async function claimSelfTest() {
  const cases = [
    {
      file: `_claim-selftest-false-${process.pid}.ipynb`,
      statement: "one is more than two (self-test)",
      code: 'import { claim } from "lenet5";\nclaim("one is more than two (self-test)", 1, (v) => v > 2);',
      shouldPass: false,
    },
    {
      file: `_claim-selftest-true-${process.pid}.ipynb`,
      statement: "one is less than two (self-test)",
      code: 'import { claim } from "lenet5";\nclaim("one is less than two (self-test)", 1, (v) => v < 2);',
      shouldPass: true,
    },
  ];
  const scratchDir = join(tmpdir(), `lenet5-claim-selftest-${process.pid}`);
  const remove = () => {
    for (const c of cases) rmSync(join(notebooksDir, c.file), { force: true });
    rmSync(scratchDir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    remove();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const faults = [];
  try {
    for (const c of cases)
      writeFileSync(join(notebooksDir, c.file), JSON.stringify(oneCellNotebook(c.code)));
    const results = await Promise.all(cases.map((c) => execute(c.file, join(scratchDir, c.file))));
    cases.forEach((c, i) => {
      const result = results[i];
      if (c.shouldPass) {
        const printed = result.ok ? printedText(join(scratchDir, c.file)) : "";
        if (!result.ok) faults.push(`a true claim failed its notebook: ${result.error}`);
        else if (!printed.includes(`✓ ${c.statement}`))
          faults.push(`a true claim did not print "✓ ${c.statement}"; printed: ${printed.trim()}`);
      } else if (result.ok) {
        faults.push("a false claim did not fail its notebook");
      } else if (!String(result.error).includes(`claim false: "${c.statement}"`)) {
        faults.push(`a false claim failed, but the error does not name it: ${result.error}`);
      }
    });
  } finally {
    remove();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  return faults;
}

let selfTestFaults = [];
if (runSelfTest) {
  selfTestFaults = await claimSelfTest();
  if (selfTestFaults.length === 0)
    console.log(
      "ok    claim self-test: a false claim fails its notebook and names it; a true one passes",
    );
  else
    console.log(`FAIL  claim self-test:\n${selfTestFaults.map((f) => `      | ${f}`).join("\n")}`);
}
console.log(
  `test-notebooks: ${notebooks.length} notebook(s), ${jobs} at a time, ${timeoutSeconds} s each at most`,
);
const queue = [...notebooks];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length > 0) {
      const result = judgeSolutions(await execute(queue.shift()));
      recordExecution(result);
      print(result);
      results.push(result);
    }
  }),
);

const failed = [
  ...results.filter((result) => !result.ok),
  ...(selfTestFaults.length > 0 ? [{ name: "(claim self-test)" }] : []),
];
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (existsSync(outputDir))
  console.log(`test-notebooks: executed copies in ${relative(root, outputDir)}/`);
if (failed.length > 0) console.log(`test-notebooks: failed: ${failed.map(name).sort().join(", ")}`);
console.log(`test-notebooks: took ${seconds} s in all (Jupyter setup included)`);
const total = results.length + (runSelfTest ? 1 : 0);
console.log(`notebooks: ${total - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
