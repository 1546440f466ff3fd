#!/usr/bin/env node
// `npm run test:jupyter`, part of `npm test` (after the notebooks): the learner's own tools in the
// repository, against real Jupyter processes. Provisions Jupyter like test-notebooks.mjs, then:
//   1. Kernel → Interrupt (scripts/test-kernel-interrupt.py): a real tslab kernel, driven through
//      jupyter_client, stops training, evaluation, a benchmark and a Hessian estimate within a
//      second, and runs the next cell;
//   2. `npm start` (scripts/start-notebooks.mjs), with a HOME of its own: the server listens on
//      127.0.0.1 only, with a token, and its runtime file is under .jupyter-local/runtime, not in
//      ~/.local/share/jupyter; `--ip=0.0.0.0` after `npm start --` is refused; a user config that
//      clears the token stops the launch, naming the file;
//   3. `lenet5 doctor` from notebooks/: all true; and in a copy of the checkout without Jupyter
//      set up and with damaged weights, the fixes it prints work as printed, from notebooks/.
//
//   node scripts/test-jupyter.mjs [--timeout SECONDS]
//
// Every step is bounded; the whole test by --timeout (default 420 s).
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const started = performance.now();
const { values } = parseArgs({ options: { timeout: { type: "string", default: "420" } } });
const deadline = setTimeout(
  () => finish("took longer than its bound"),
  Number(values.timeout) * 1000,
);
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const work = mkdtempSync(join(tmpdir(), "lenet5-jupyter-"));
const failures = [];
const children = new Set();

function finish(error) {
  clearTimeout(deadline);
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
  if (error) failures.push(error);
  console.log(`test-jupyter: took ${seconds()} s`);
  if (failures.length > 0) {
    console.log(`test-jupyter: FAILED: ${failures.length}:\n  ${failures.join("\n  ")}`);
    process.exit(1);
  }
  console.log("test-jupyter: ok");
  process.exit(0);
}

function expect(ok, what) {
  if (!ok) failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"}  ${what}`);
}

/** Runs a command to its end (bounded); resolves to { code, stdout, stderr }. */
function run(command, args, { cwd = root, env = process.env, timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

const setup = spawnSync("bash", [join(root, "scripts", "setup-jupyter.sh")], { stdio: "inherit" });
if (setup.status !== 0) finish("Jupyter setup failed (see above)");
const config = JSON.parse(readFileSync(join(root, ".jupyter-local", "setup.json"), "utf8"));
const runtimeDir = join(root, ".jupyter-local", "runtime");

// --- 1. Kernel → Interrupt --------------------------------------------------------------------
{
  const kernel = await run(
    config.python,
    [
      join(root, "scripts", "test-kernel-interrupt.py"),
      join(root, "notebooks"),
      "--timeout",
      "150",
    ],
    {
      env: {
        ...process.env,
        JUPYTER_PATH: config.jupyterPath,
        JUPYTER_RUNTIME_DIR: runtimeDir,
        PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}`,
      },
      timeout: 200_000,
    },
  );
  const lines = kernel.stdout.trim().split("\n");
  for (const line of lines.slice(0, -1)) console.log(line);
  let report = { ok: false, seconds: null };
  try {
    report = JSON.parse(lines.at(-1));
  } catch {
    console.log(kernel.stderr.slice(-3000));
  }
  expect(
    report.ok && kernel.code === 0,
    `Kernel → Interrupt in a real tslab kernel (${report.seconds} s)`,
  );
}

// --- 2. npm start: loopback, token, runtime files ---------------------------------------------
/** A TCP port nothing listens on now. */
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
/** Whether something accepts a TCP connection at host:port. */
const accepts = (host, port) =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.on("connect", () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => (socket.destroy(), resolve(false)));
  });
const home = join(work, "home");
mkdirSync(home);
const launcherEnv = { ...process.env, HOME: home };
for (const name of [
  "JUPYTER_CONFIG_DIR",
  "JUPYTER_DATA_DIR",
  "JUPYTER_RUNTIME_DIR",
  "JUPYTER_TOKEN",
])
  delete launcherEnv[name];
const launcher = join(root, "scripts", "start-notebooks.mjs");
{
  const port = await freePort();
  const before = Date.now();
  const child = spawn(
    process.execPath,
    [launcher, `--port=${port}`, "--NotebookApp.port_retries=0"],
    {
      cwd: root,
      env: launcherEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const until = Date.now() + 60_000;
  let url;
  while (!url && Date.now() < until && child.exitCode === null) {
    url = /serves notebooks\/ at\s+(\S+)/.exec(output)?.[1];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(url !== undefined, `npm start announces a URL (${url ?? output.slice(-1500)})`);
  if (url !== undefined) {
    expect(
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=\\w{16,}`).test(url),
      "on 127.0.0.1, with a token",
    );
    const status = await fetch(url.replace(/\/\?token=/, "/api/status?token=")).catch(() => null);
    expect(status?.status === 200, `the server answers on 127.0.0.1 (${status?.status})`);
    const outward = Object.values(networkInterfaces())
      .flat()
      .find((address) => address.family === "IPv4" && !address.internal)?.address;
    if (outward) expect(!(await accepts(outward, port)), `nothing listens on ${outward}:${port}`);
    const ours = existsSync(runtimeDir)
      ? readdirSync(runtimeDir).filter(
          (name) =>
            /^(nb|jp)server-\d+\.json$/.test(name) &&
            statSync(join(runtimeDir, name)).mtimeMs >= before - 1000,
        )
      : [];
    const served = ours.some(
      (name) => JSON.parse(readFileSync(join(runtimeDir, name), "utf8")).port === port,
    );
    expect(served, `its runtime file is in .jupyter-local/runtime (${ours.join(", ") || "none"})`);
    const homeRuntime = join(home, ".local", "share", "jupyter", "runtime");
    const stray = existsSync(homeRuntime) ? readdirSync(homeRuntime) : [];
    expect(
      stray.length === 0,
      `nothing in ~/.local/share/jupyter/runtime (${stray.join(", ") || "empty"})`,
    );
  }
  const closed = new Promise((resolve) => child.on("close", resolve));
  child.kill("SIGTERM");
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  children.delete(child);
}
{
  const refused = await run(process.execPath, [launcher, "--ip=0.0.0.0"], { env: launcherEnv });
  expect(
    refused.code === 2 &&
      /refused `--ip=0\.0\.0\.0`/.test(refused.stderr) &&
      !/token=/.test(refused.stdout),
    `npm start -- --ip=0.0.0.0 is refused (exit ${refused.code})`,
  );
  mkdirSync(join(home, ".jupyter"), { recursive: true }); // Jupyter may have made it
  const userConfig = join(home, ".jupyter", "jupyter_notebook_config.py");
  writeFileSync(userConfig, "c.NotebookApp.token = ''\n");
  const open = await run(process.execPath, [launcher], { env: launcherEnv });
  expect(
    open.code === 1 &&
      open.stderr.includes(`${userConfig}: sets c.NotebookApp.token = ''`) &&
      /Delete that setting/.test(open.stderr) &&
      !/http:\/\//.test(open.stdout),
    `a user config with an empty token stops npm start, naming the file (exit ${open.code})`,
  );
}

// --- 3. doctor in the repository --------------------------------------------------------------
const doctor = (cwd, main = join(root, "dist", "cli", "main.js")) =>
  run(process.execPath, [main, "doctor", "--json"], { cwd }).then((r) => ({
    code: r.code,
    ...JSON.parse(r.stdout),
  }));
{
  const report = await doctor(join(root, "notebooks"));
  const names = report.checks.map((c) => c.name);
  expect(
    report.code === 0 &&
      report.place.kind === "repository" &&
      names.includes("tslab kernel registered"),
    `doctor in notebooks/: ${report.checks.length} checks, all ok, the project's Jupyter among them`,
  );
}
{
  // A copy of the checkout (its dependencies linked) without Jupyter set up.
  const copy = join(work, "checkout");
  mkdirSync(join(copy, "scripts"), { recursive: true });
  mkdirSync(join(copy, "notebooks"));
  for (const path of [
    "package.json",
    "scripts/setup-jupyter.sh",
    "notebooks/package.json",
    "dist",
    "weights",
  ])
    cpSync(join(root, path), join(copy, path), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  const git = (...args) =>
    spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: copy });
  git("init", "-q");
  git("add", "weights");
  git("commit", "-qm", "weights");
  const main = join(copy, "dist", "cli", "main.js");
  const notebooks = join(copy, "notebooks");
  const weightsDir = join(copy, "weights", "modern");
  const bin = join(
    weightsDir,
    readdirSync(weightsDir).find((name) => name.endsWith(".bin")),
  );
  const bytes = readFileSync(bin);
  bytes[100] ^= 0xff;
  writeFileSync(bin, bytes);
  const report = await doctor(notebooks, main);
  const broken = report.checks.filter((c) => !c.ok);
  const fixes = [...new Set(broken.map((c) => c.fix))];
  expect(
    report.code === 1 &&
      broken.map((c) => c.name).join(", ") === "Jupyter provisioned, shipped weights: modern" &&
      fixes.join(" | ") ===
        "cd .. && npm run setup:jupyter | cd .. && git checkout -- weights/modern",
    `a checkout without Jupyter, weights damaged: doctor in notebooks/ says so (${fixes.join(" | ")})`,
  );
  for (const fix of fixes) {
    const done = await run("sh", ["-c", fix], { cwd: notebooks, timeout: 120_000 });
    expect(done.code === 0, `fix, run in notebooks/: ${fix} (exit ${done.code})`);
  }
  const after = await doctor(notebooks, main);
  expect(
    after.code === 0 && after.ok,
    `after the fixes doctor passes (${after.checks.filter((c) => !c.ok).map((c) => c.name)})`,
  );
}
finish();
