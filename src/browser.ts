/**
 * lenet5 for web pages: everything the site's interactive LeNet-5 needs, and nothing that needs
 * Node (no file system, no child processes, no jsdom). The same model code as in Node; only I/O
 * differs: shipped checkpoints arrive by `fetch` and are checked with `crypto.subtle`, through
 * the one reading of the checkpoint format (./checkpoint/format).
 *
 * What it adds: {@link initBrowserBackend} (wasm with SIMD, else cpu) and
 * {@link fetchShippedModel}; it re-exports the inspection tools of ./inspect/ — `activationProbe`
 * (one forward pass returning every paper layer's output, C1 … C5, F6, OUTPUT), `predictionFrom`
 * (argmin of RBF distances or argmax of logits, with scores), `digitToInput` (MNIST form → the
 * model's input) and `timeForward` — the shared `median` (of its times), and the model, paper,
 * input and checkpoint names a page needs.
 *
 * Input shape: a 28×28 MNIST-form digit (0 background, 255 ink), from `imageToMnist`.
 * Output shape: per layer, the activation without its batch axis (C1 [28, 28, 6] … OUTPUT [10]).
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerLenet5Kernels } from "./kernels/register";
import type { ModelName } from "./models/registry";
import {
  CheckpointError,
  MANIFEST_FILE,
  modelFromCheckpoint,
  parseCheckpoint,
  parseManifest,
  type Checkpoint,
  type LoadCheckpointOptions,
} from "./checkpoint/format";

export { median } from "./stats";
export {
  createModel,
  isModelName,
  MODEL_NAMES,
  MODEL_SPECS,
  type ModelName,
  type ModelSpec,
} from "./models/registry";
export {
  INPUT_BACKGROUND,
  INPUT_FOREGROUND,
  INPUT_SIZE,
  RBF_BITMAP_HEIGHT,
  RBF_BITMAP_WIDTH,
  RBF_BITMAPS,
  SCALED_TANH_A,
  rbfPrototypes,
} from "./paper";
export {
  MNIST_MEAN,
  MNIST_SIDE,
  MNIST_STD,
  normalisePixel,
  toNetworkInput,
  type Normalisation,
} from "./data/preprocess";
export {
  MIN_DIGIT_SIDE,
  MNIST_BOX,
  MNIST_CENTRE,
  digitWarning,
  imageToMnist,
  type DigitWarning,
  type MnistFormOptions,
  type Polarity,
} from "./data/mnist-form";
export {
  activationProbe,
  digitToInput,
  paperLayers,
  predictionFrom,
  timeForward,
  type ActivationProbe,
  type LayerActivation,
  type Prediction,
} from "./inspect";
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CheckpointError,
  MANIFEST_FILE,
  decodeDataFile,
  modelFromCheckpoint,
  parseCheckpoint,
  parseManifest,
  type Checkpoint,
  type CheckpointFault,
  type CheckpointManifest,
  type LoadCheckpointOptions,
  type NamedWeight,
} from "./checkpoint/format";

/** The backends a page can run lenet5 on: tfjs's wasm (SIMD where the browser has it) or cpu. */
export type BrowserBackendName = "wasm" | "cpu";

/** Options of {@link initBrowserBackend}. */
export interface BrowserBackendOptions {
  /**
   * URL prefix (ending in "/") where the tfjs wasm binaries are served, e.g.
   * "/generated/tfjs-wasm/"; without it wasm is not tried (tfjs would fetch them from a CDN).
   */
  readonly wasmPath?: string;
  /** Skip wasm and use cpu. */
  readonly preferred?: BrowserBackendName;
}

/**
 * Starts tfjs's wasm backend with its binaries from `wasmPath` (nothing is fetched from another
 * host), falling back to cpu when wasm cannot start; resolves to the backend in use. Calling it
 * again switches between the two without reloading anything. Like `initBackend` in Node, it
 * first registers lenet5's kernels (./kernels/register.ts).
 * @example
 * ```ts
 * const backend = await initBrowserBackend({ wasmPath: "/generated/tfjs-wasm/" }); // "wasm"
 * ```
 */
export async function initBrowserBackend(
  options: BrowserBackendOptions = {},
): Promise<BrowserBackendName> {
  registerLenet5Kernels();
  // Never ask tfjs which backend is active before choosing: that question alone would start its
  // default (WebGL) in a browser. `registry` lists only backends already started.
  if (options.preferred !== "cpu" && options.wasmPath !== undefined) {
    if (tf.engine().registry.wasm === undefined) setWasmPaths(options.wasmPath);
    try {
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        return "wasm";
      }
    } catch {
      // fall through to cpu: a browser without WebAssembly, or binaries that did not load
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return "cpu";
}

/**
 * Lower-case hex SHA-256 of `bytes` with the Web Crypto API (browsers, and Node ≥ 20).
 * @example
 * ```ts
 * await sha256Hex(new Uint8Array()); // "e3b0c442…b855"
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A checkpoint from its manifest JSON and the bytes of the files it names (e.g. fetched):
 * the same checks as `loadCheckpoint` in Node — format, model, size and SHA-256 of each file.
 * `baseUrl` (ending in "/") names the files in errors.
 * @example
 * ```ts
 * const checkpoint = await checkpointFromBytes(manifestJson, { [manifestJson.weights.file]: bytes }, {
 *   baseUrl: "/generated/weights/historical/",
 *   expectModel: "historical",
 * });
 * ```
 */
export async function checkpointFromBytes(
  manifest: unknown,
  files: Readonly<Record<string, Uint8Array>>,
  options: LoadCheckpointOptions & { readonly baseUrl?: string } = {},
): Promise<Checkpoint> {
  const baseUrl = options.baseUrl ?? "";
  const digests = new Map<Uint8Array, string>();
  for (const bytes of Object.values(files)) digests.set(bytes, await sha256Hex(bytes));
  return parseCheckpoint(
    manifest,
    {
      dir: baseUrl,
      manifestPath: `${baseUrl}${MANIFEST_FILE}`,
      pathOf: (file) => `${baseUrl}${file}`,
      readFile: (file) => (Object.hasOwn(files, file) ? files[file] : undefined),
      sha256: (bytes) => digests.get(bytes) ?? "",
    },
    options,
  );
}

/** The subset of `fetch` lenet5 uses (a test can pass its own). */
export type FetchLike = (url: string) => Promise<{
  /** Whether the HTTP status is 2xx. */
  readonly ok: boolean;
  /** The HTTP status code, named in errors. */
  readonly status: number;
  /** The body parsed as JSON (the manifest). */
  json(): Promise<unknown>;
  /** The body as raw bytes (the weights file). */
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * Fetches and checks the checkpoint at `baseUrl` (a folder URL ending in "/": its manifest.json
 * and the weights file it names), then builds its model with the recorded options.
 * @example
 * ```ts
 * const { model, checkpoint } = await fetchShippedModel("/generated/weights/historical/", "historical");
 * checkpoint.epoch; // 20
 * ```
 */
export async function fetchShippedModel(
  baseUrl: string,
  name: ModelName,
  fetchFile: FetchLike = (url) => fetch(url),
): Promise<{
  /** The model, built with the recorded options and holding the checkpoint's weights. */
  model: tf.LayersModel;
  /** The checked checkpoint: manifest facts (epoch, options, …) and weights. */
  checkpoint: Checkpoint;
}> {
  const manifestUrl = `${baseUrl}${MANIFEST_FILE}`;
  const manifestResponse = await fetchFile(manifestUrl);
  if (!manifestResponse.ok) {
    throw new CheckpointError(manifestUrl, "missing-manifest", `HTTP ${manifestResponse.status}`);
  }
  const raw = await manifestResponse.json();
  const manifest = parseManifest(raw, manifestUrl, { expectModel: name });
  const files: Record<string, Uint8Array> = {};
  const fileUrl = `${baseUrl}${manifest.weights.file}`;
  const response = await fetchFile(fileUrl);
  if (response.ok) files[manifest.weights.file] = new Uint8Array(await response.arrayBuffer());
  const checkpoint = await checkpointFromBytes(raw, files, { baseUrl, expectModel: name });
  return { model: modelFromCheckpoint(checkpoint, manifestUrl), checkpoint };
}
