#!/usr/bin/env node
// `npm run test:notebooks`: runs scripts/setup-jupyter.sh (Jupyter + the project's tslab kernel),
// then executes every notebooks/*.ipynb headless with the tslab kernel, two at a time, each under
// one time limit. Executed copies go to test-output/notebooks/ (the website reuses them).
// A failure names the notebook, the failing cell (index and first line) and the error text.
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
import { join, relative } from "node:path";
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

const notebooks = readdirSync(notebooksDir)
  .filter((name) => name.endsWith(".ipynb"))
  .filter((name) => positionals.length === 0 || positionals.some((word) => name.includes(word)))
  .sort();
if (notebooks.length === 0) {
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

/** Executes one notebook; resolves to { name, ok, seconds, cell?, firstLine?, error? }. */
function execute(name) {
  return new Promise((resolve) => {
    const child = spawn(
      config.python,
      [
        join(root, "scripts", "execute-notebook.py"),
        join(notebooksDir, name),
        join(outputDir, name),
        "--timeout",
        String(timeoutSeconds),
        "--kernel",
        config.kernel,
      ],
      { cwd: notebooksDir, env, stdio: ["ignore", "pipe", "pipe"] },
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
    result.cell === undefined || result.cell === null
      ? "before any cell ran"
      : `cell ${result.cell}`;
  const firstLine = result.firstLine ? `: ${result.firstLine}` : "";
  console.log(`FAIL  ${name(result)}${time}: ${where}${firstLine}`);
  console.log(
    errorLines(result.error)
      .map((line) => `      | ${line}`)
      .join("\n"),
  );
}
const name = (result) => relative(root, join(notebooksDir, result.name));

console.log(
  `test-notebooks: ${notebooks.length} notebook(s), ${jobs} at a time, ${timeoutSeconds} s each at most`,
);
const queue = [...notebooks];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length > 0) {
      const result = await execute(queue.shift());
      recordExecution(result);
      print(result);
      results.push(result);
    }
  }),
);

const failed = results.filter((result) => !result.ok);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (existsSync(outputDir))
  console.log(`test-notebooks: executed copies in ${relative(root, outputDir)}/`);
if (failed.length > 0) console.log(`test-notebooks: failed: ${failed.map(name).sort().join(", ")}`);
console.log(`test-notebooks: took ${seconds} s in all (Jupyter setup included)`);
console.log(`notebooks: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
