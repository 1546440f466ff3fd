/**
 * Runs a snippet of test code in a child Node process (TypeScript through tsx), for what must
 * not run in the test process itself: code that could hang (a FIFO read blocks the whole event
 * loop, so no test timeout could fire), and code that must run without root's privileges (root
 * reads files whatever their permissions; the child then runs as `nobody`).
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository root (tsx resolves from there). */
const ROOT = join(__dirname, "..", "..");

/** Options of {@link runIsolated}. */
export interface IsolatedOptions {
  /** Kill the child after this long and report a hang (default 20 s). */
  readonly timeoutMs?: number;
  /** Run as user and group 65534 (`nobody`) when the tests run as root. */
  readonly unprivileged?: boolean;
}

/** True when this process runs as root (permissions do not apply to it). */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Whether an `unprivileged` child can run here: always when not root; as root, only when user
 * `nobody` can enter every folder down to the checkout (a clone inside a private `mktemp -d`
 * folder is out of its reach, and tsx could not even load there).
 */
export function unprivilegedRunnable(): boolean {
  if (!runningAsRoot()) return true;
  for (let dir = ROOT; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/** Why a permission test is skipped where {@link unprivilegedRunnable} is false. */
export const UNPRIVILEGED_SKIP =
  "user nobody cannot reach this checkout (a folder above it is private), so permissions cannot be tested here";

/**
 * Runs `script` (CommonJS JavaScript; `require` absolute paths of .ts files) in a child process
 * and returns what it printed last as JSON. Throws when the child hangs, crashes or prints no
 * JSON.
 * @example
 * ```ts
 * const out = runIsolated<{ fault: string }>(`
 *   const { readIdxFile } = require(${JSON.stringify(idxPath)});
 *   try { readIdxFile("/tmp/fifo"); } catch (e) { console.log(JSON.stringify({ fault: e.fault })); }
 * `);
 * ```
 */
export function runIsolated<T>(script: string, options: IsolatedOptions = {}): T {
  const drop = options.unprivileged && runningAsRoot() ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 20_000,
    ...drop,
  });
  if (result.error || result.signal) {
    throw new Error(
      `isolated child did not finish (${result.signal ?? result.error?.message}): a hang?\n${result.stderr}`,
    );
  }
  const lines = result.stdout.trim().split("\n");
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new Error(
      `isolated child printed no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** The absolute path of a source file, for `require` inside {@link runIsolated} scripts. */
export function sourcePath(...parts: string[]): string {
  return join(ROOT, "src", ...parts);
}
