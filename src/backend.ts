/**
 * Picks and starts the tfjs backend lenet5 computes on: "node" (libtensorflow through the optional
 * `@tensorflow/tfjs-node`; tfjs calls it "tensorflow"), "wasm" (`@tensorflow/tfjs-backend-wasm`
 * with SIMD; in Node its .wasm binaries load from node_modules, nothing is downloaded) or "cpu"
 * (tfjs's plain-JavaScript kernels, slowest).
 *
 * Choice: an explicit argument to `initBackend` wins, then the environment variable
 * `LENET5_BACKEND=node|wasm|cpu`, then the first that starts in the order node → wasm → cpu.
 * tfjs-node is an optional dependency whose install downloads libtensorflow; where it could not
 * install it is simply not resolvable and wasm is the default.
 *
 * Importing this module changes nothing. `initBackend` registers lenet5's kernels
 * (./kernels/register.ts) before it starts a backend: on wasm the `Conv2DBackpropFilter` tfjs 4.22
 * lacks, so convolutions train; a corrected `MaxPoolGrad` (wasm's drops the gradient of windows
 * whose maximum is ≤ 0); faster kernels for LeNet's shapes; and lenet5's own fused kernels.
 * The only state is tfjs's own.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerLenet5Kernels } from "./kernels/register";

/** The backends lenet5 knows, by lenet5's names. */
export type BackendName = "node" | "wasm" | "cpu";

/** Environment variable that overrides the automatic choice. */
export const BACKEND_ENV_VAR = "LENET5_BACKEND";

/** The automatic order: fastest first. */
export const BACKEND_ORDER: readonly BackendName[] = ["node", "wasm", "cpu"];

/** The optional package that brings the "node" backend. */
const TFJS_NODE_PACKAGE = "@tensorflow/tfjs-node";

/** tfjs's registry name for each lenet5 backend name. */
const TFJS_BACKEND_NAME: Readonly<Record<BackendName, string>> = {
  node: "tensorflow",
  wasm: "wasm",
  cpu: "cpu",
};

/** What {@link backendInfo} reports. */
export interface BackendInfo {
  /** The backend tfjs is using now, by lenet5's name. */
  readonly name: BackendName;
  /** Version of tfjs-core in use. */
  readonly tfjsVersion: string;
  /** Whether the wasm backend runs with SIMD (only reported for wasm). */
  readonly simd?: boolean;
}

/** True when `value` is one of lenet5's backend names. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(value);
}

/**
 * Checks a requested backend name; `source` names where it came from for the error message.
 * @example
 * ```ts
 * parseBackendName("wasm", "LENET5_BACKEND"); // "wasm"
 * parseBackendName("gpu", "LENET5_BACKEND"); // throws: LENET5_BACKEND="gpu" is not a backend …
 * ```
 */
export function parseBackendName(value: string, source: string): BackendName {
  const trimmed = value.trim().toLowerCase();
  if (isBackendName(trimmed)) return trimmed;
  throw new Error(
    `${source}="${value}" is not a backend lenet5 knows; use one of ${BACKEND_ORDER.join(", ")}`,
  );
}

/** True when the optional `@tensorflow/tfjs-node` package can be loaded from here. */
export function tfjsNodeResolvable(): boolean {
  try {
    require.resolve(TFJS_NODE_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

/**
 * The backends this installation could start, in the automatic order: "node" only where
 * `@tensorflow/tfjs-node` is resolvable; "wasm" and "cpu" always (both ship as dependencies).
 */
export function availableBackends(): BackendName[] {
  return BACKEND_ORDER.filter((name) => name !== "node" || tfjsNodeResolvable());
}

/** A backend asked for by name, and where the request came from (for error messages). */
export interface BackendRequest {
  /** The backend asked for. */
  readonly name: BackendName;
  /** Who asked, for error messages: `initBackend("wasm")` or `LENET5_BACKEND="wasm"`. */
  readonly source: string;
}

/**
 * The backend asked for, if any: an explicit `preferred` wins over `envValue` (the value of
 * LENET5_BACKEND); an empty or unset variable asks for nothing. Throws on an unknown name.
 * @example
 * ```ts
 * requestedBackend(undefined, "cpu"); // { name: "cpu", source: 'LENET5_BACKEND="cpu"' }
 * requestedBackend(undefined, ""); // undefined: automatic choice
 * ```
 */
export function requestedBackend(
  preferred?: string,
  envValue?: string,
): BackendRequest | undefined {
  if (preferred !== undefined) {
    return {
      name: parseBackendName(preferred, "initBackend(preferred)"),
      source: `initBackend("${preferred}")`,
    };
  }
  if (envValue !== undefined && envValue.trim() !== "") {
    return {
      name: parseBackendName(envValue, BACKEND_ENV_VAR),
      source: `${BACKEND_ENV_VAR}="${envValue}"`,
    };
  }
  return undefined;
}

/**
 * The backends to try, in order: a request (see {@link requestedBackend}) gives just that one,
 * throwing with what is available if it is not; no request gives every available backend in the
 * automatic order. Pure: it reads no environment and starts nothing.
 * @example
 * ```ts
 * backendCandidates({ available: ["wasm", "cpu"] }); // ["wasm", "cpu"]
 * backendCandidates({ envValue: "cpu", available: ["wasm", "cpu"] }); // ["cpu"]
 * ```
 */
export function backendCandidates(request: {
  preferred?: BackendName;
  envValue?: string;
  available: readonly BackendName[];
}): BackendName[] {
  const { available } = request;
  const wanted = requestedBackend(request.preferred, request.envValue);
  if (wanted === undefined) return BACKEND_ORDER.filter((name) => available.includes(name));
  if (!available.includes(wanted.name)) {
    const hint =
      wanted.name === "node"
        ? ` (${TFJS_NODE_PACKAGE} is not installed or could not be resolved)`
        : "";
    throw new Error(
      `${wanted.source} asks for the "${wanted.name}" backend, which is not available here${hint}; ` +
        `available: ${available.join(", ")}`,
    );
  }
  return [wanted.name];
}

/** lenet5's name for a tfjs backend name, or undefined for a backend lenet5 does not know. */
function fromTfjsName(tfjsName: string): BackendName | undefined {
  return BACKEND_ORDER.find((name) => TFJS_BACKEND_NAME[name] === tfjsName);
}

/** The backend tfjs has set and initialised, by lenet5's name; undefined if none is. */
function currentBackend(): BackendName | undefined {
  const tfjsName = tf.getBackend() as string | undefined | null;
  if (!tfjsName || tf.engine().registry[tfjsName] === undefined) return undefined;
  return fromTfjsName(tfjsName);
}

/** Loads tfjs-node (which registers the "tensorflow" backend on the shared tfjs-core). */
async function loadTfjsNode(): Promise<void> {
  const moduleName: string = TFJS_NODE_PACKAGE; // a variable: the package may be absent at compile time
  await import(moduleName);
}

/** Makes `name` tfjs's active backend; returns false (or throws) if it cannot start. */
async function startBackend(name: BackendName): Promise<boolean> {
  if (name === "node") await loadTfjsNode();
  const started = await tf.setBackend(TFJS_BACKEND_NAME[name]);
  if (started) await tf.ready();
  return started;
}

/**
 * Starts the backend lenet5 computes on and makes it tfjs's active backend; resolves to its name.
 * `preferred` wins over LENET5_BACKEND, which wins over the automatic order node → wasm → cpu.
 * Idempotent: a backend that is already active is kept (without a request, whatever lenet5 backend
 * is already active is kept too). A requested backend that is invalid, unavailable or fails to
 * start throws, naming the request and what is available. First registers lenet5's kernels
 * (./kernels/register.ts), whether or not tfjs had already started wasm.
 * @example
 * ```ts
 * const name = await initBackend(); // "wasm" where tfjs-node is not installed
 * activeBackend() === name; // true
 * ```
 */
export async function initBackend(preferred?: BackendName): Promise<BackendName> {
  const envValue = process.env[BACKEND_ENV_VAR];
  const request = requestedBackend(preferred, envValue);
  registerLenet5Kernels();
  const candidates = backendCandidates({ preferred, envValue, available: availableBackends() });
  const current = currentBackend();
  const keepCurrent =
    current !== undefined &&
    (request === undefined ? candidates.includes(current) : current === request.name);
  if (current !== undefined && keepCurrent) {
    await tf.ready();
    return current;
  }
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      if (await startBackend(name)) return name;
      failures.push(`${name}: failed to initialise`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  const what = request === undefined ? `any of ${candidates.join(", ")}` : request.source;
  throw new Error(`initBackend: could not start ${what}: ${failures.join("; ")}`);
}

/**
 * The backend tfjs is using now, by lenet5's name.
 * @throws if no backend is initialised yet (call {@link initBackend} first) or tfjs runs one
 * lenet5 does not know (e.g. "webgl").
 * @example
 * ```ts
 * await initBackend("cpu");
 * activeBackend(); // "cpu"
 * ```
 */
export function activeBackend(): BackendName {
  const tfjsName = tf.getBackend() as string | undefined | null;
  if (!tfjsName || tf.engine().registry[tfjsName] === undefined) {
    throw new Error("activeBackend: no backend is initialised yet; await initBackend() first");
  }
  const name = fromTfjsName(tfjsName);
  if (name === undefined) {
    throw new Error(
      `activeBackend: tfjs runs the "${tfjsName}" backend, which lenet5 does not know`,
    );
  }
  return name;
}

/**
 * What the active backend is, for logs and reports: name, tfjs version and, on wasm, SIMD.
 * @example
 * ```ts
 * await initBackend("wasm");
 * backendInfo(); // { name: "wasm", tfjsVersion: "4.22.0", simd: true }
 * ```
 */
export function backendInfo(): BackendInfo {
  const name = activeBackend();
  const tfjsVersion = tf.version_core;
  if (name !== "wasm") return { name, tfjsVersion };
  let simd: boolean | undefined;
  try {
    simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT"); // evaluated when wasm started
  } catch {
    simd = undefined;
  }
  return simd === undefined ? { name, tfjsVersion } : { name, tfjsVersion, simd };
}
