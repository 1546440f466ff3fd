/**
 * lenet5 for web pages: everything the site's interactive LeNet-5 needs, and nothing that needs
 * Node (no file system, no child processes, no jsdom). The same model code as in Node; only I/O
 * differs: shipped checkpoints arrive by `fetch` and are checked with `crypto.subtle`, through
 * the one reading of the checkpoint format (./checkpoint/format).
 *
 * What it adds: {@link initBrowserBackend} (wasm with SIMD, else cpu), {@link fetchShippedModel},
 * {@link activationProbe} — one forward pass returning every paper layer's output (C1 … C5, F6,
 * OUTPUT) — {@link predictionFrom} (argmin of RBF distances or argmax of logits, with scores),
 * {@link digitToInput} (MNIST form → the model's input) and {@link timeForward}.
 *
 * Input shape: a 28×28 MNIST-form digit (0 background, 255 ink), from `imageToMnist`.
 * Output shape: per layer, the activation without its batch axis (C1 [28, 28, 6] … OUTPUT [10]).
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerLenet5Kernels } from "./kernels/register";
import type { ModelName, ModelSpec } from "./models/registry";
import { toNetworkInput } from "./data/preprocess";
import {
  CheckpointError,
  MANIFEST_FILE,
  modelFromCheckpoint,
  parseCheckpoint,
  parseManifest,
  type Checkpoint,
  type LoadCheckpointOptions,
} from "./checkpoint/format";

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
  MNIST_BOX,
  MNIST_CENTRE,
  imageToMnist,
  type MnistFormOptions,
  type Polarity,
} from "./data/mnist-form";
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

/** One paper layer's output for one input. */
export interface LayerActivation {
  /** The paper's name: C1, S2, C3, S4, C5, F6 or OUTPUT. */
  readonly name: string;
  /** The tfjs layer it was read from (after the squashing function: "C1_tanh", "C1_relu", …). */
  readonly layer: string;
  /** Shape without the batch axis, e.g. [28, 28, 6]. */
  readonly shape: readonly number[];
  /** The activation values, row-major (NHWC without N); length = product of `shape`. */
  readonly data: Float32Array;
}

/** Runs a model once and returns every paper layer's output; see {@link activationProbe}. */
export interface ActivationProbe {
  /** The paper layers it reports, in order, with the tfjs layer each is read from. */
  readonly layers: readonly {
    /** The paper's name: C1, S2, C3, S4, C5, F6 or OUTPUT. */
    readonly name: string;
    /** The tfjs layer the output is read from. */
    readonly layer: string;
  }[];
  /** Input side the model expects (28 or 32). */
  readonly inputSize: number;
  /** One forward pass on one input [size, size] (row-major, already normalised). */
  run(input: Float32Array): LayerActivation[];
}

/** Layers that reshape or regularise but compute nothing worth showing. */
const PASS_THROUGH = new Set(["Flatten", "Dropout"]);

/**
 * Which tfjs layer shows each paper layer: layers are grouped by the name before "_" (C1,
 * C1_bn, C1_relu → C1) and each group is read at its last computing layer, i.e. after its
 * squashing function or ReLU, not after a Flatten or Dropout.
 * @example
 * ```ts
 * paperLayers(createModel("historical")).map((l) => l.layer);
 * // ["C1_tanh", "S2_tanh", "C3_tanh", "S4_tanh", "C5_tanh", "F6_tanh", "OUTPUT"]
 * ```
 */
export function paperLayers(model: tf.LayersModel): {
  /** The paper's name: C1, S2, C3, S4, C5, F6 or OUTPUT. */
  name: string;
  /** The tfjs layer that shows it (its group's last computing layer). */
  layer: string;
}[] {
  const chosen = new Map<string, string>();
  for (const layer of model.layers) {
    if (PASS_THROUGH.has(layer.getClassName())) continue;
    chosen.set(layer.name.split("_")[0], layer.name); // later layers of a group replace earlier
  }
  return [...chosen].map(([name, layer]) => ({ name, layer }));
}

/**
 * Wraps `model` in a multi-output model that returns every paper layer's output (see
 * {@link paperLayers}) from one forward pass; reading them back is synchronous. The probe shares
 * the model's layers and weights: dispose the model, not the probe.
 *
 * Input shape (of `run`): one normalised input [size, size], size 32 or 28 (`modern`). Output
 * shape: per paper layer, the activation without its batch axis (historical: C1 [28, 28, 6],
 * S2 [14, 14, 6], C3 [10, 10, 16], S4 [5, 5, 16], C5 [1, 1, 120], F6 [84], OUTPUT [10]).
 * @example
 * ```ts
 * const probe = activationProbe(createModel("historical"));
 * const [c1] = probe.run(new Float32Array(32 * 32).fill(-0.1));
 * c1.shape; // [28, 28, 6]
 * ```
 */
export function activationProbe(model: tf.LayersModel): ActivationProbe {
  const layers = paperLayers(model);
  const probe = tf.model({
    inputs: model.inputs,
    outputs: layers.map(({ layer }) => model.getLayer(layer).output as tf.SymbolicTensor),
  });
  const inputShape = model.inputs[0].shape; // [null, size, size, 1]
  const inputSize = inputShape[1] as number;
  return {
    layers,
    inputSize,
    run(input: Float32Array): LayerActivation[] {
      if (input.length !== inputSize * inputSize) {
        throw new RangeError(
          `activationProbe: input must hold ${inputSize}×${inputSize} values, got ${input.length}`,
        );
      }
      const outputs = tf.tidy(() => {
        const x = tf.tensor4d(input, [1, inputSize, inputSize, 1]); // [1, size, size, 1]
        return probe.predict(x) as tf.Tensor[]; // one [1, …] tensor per paper layer
      });
      try {
        return outputs.map((output, i) => ({
          ...layers[i],
          shape: output.shape.slice(1),
          data: output.dataSync() as Float32Array,
        }));
      } finally {
        tf.dispose(outputs);
      }
    },
  };
}

/**
 * A 28×28 MNIST-form digit (0 background … 255 ink) → the input `spec`'s model expects: the
 * paper's 32×32 field and levels for the LeNet-5s, 28×28 standardised for `modern`.
 *
 * Input shape: [28, 28] (784 bytes, row-major). Output shape: [32, 32] (1,024 values) or, for
 * `modern`, [28, 28] (784 values), row-major.
 * @example
 * ```ts
 * digitToInput(new Uint8Array(784), MODEL_SPECS.historical)[0]; // -0.1, the paper's background
 * ```
 */
export function digitToInput(digit: Uint8Array, spec: ModelSpec): Float32Array {
  return toNetworkInput(digit, 1, { size: spec.inputSize, normalisation: spec.normalisation });
}

/** What a model says about one digit. */
export interface Prediction {
  /** The predicted digit. */
  readonly digit: number;
  /** One score per digit, summing to 1: softmax of −distance (RBF) or of the logits. */
  readonly scores: readonly number[];
  /** The raw outputs: squared distances (RBF, smaller is closer) or logits. */
  readonly outputs: readonly number[];
}

/**
 * Reads a model's 10 outputs: the argmin of RBF distances (the paper's rule) or the argmax of
 * logits. Scores are the softmax of −y (the paper's posterior reading of the RBF outputs,
 * Section II-C) or of the logits.
 *
 * Input shape: [10], one model output row. Output shape: a {@link Prediction} with 10 scores.
 * @example
 * ```ts
 * predictionFrom(Float32Array.of(9, 9, 1, 9, 9, 9, 9, 9, 9, 9), "rbf").digit; // 2
 * ```
 */
export function predictionFrom(outputs: ArrayLike<number>, kind: ModelSpec["output"]): Prediction {
  const values = Array.from(outputs);
  const evidence = kind === "rbf" ? values.map((v) => -v) : values;
  const top = Math.max(...evidence);
  const exps = evidence.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return {
    digit: evidence.indexOf(top),
    scores: exps.map((e) => e / total),
    outputs: values,
  };
}

/**
 * Times `run` (a forward pass with its readback) `repeats` times after `warmup` untimed runs;
 * returns each time in milliseconds. `now` is the clock (`performance.now` by default).
 * @example
 * ```ts
 * const times = timeForward(() => probe.run(input), { repeats: 50 });
 * ```
 */
export function timeForward(
  run: () => unknown,
  { repeats = 50, warmup = 5, now = () => performance.now() } = {},
): number[] {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = now();
    run();
    times.push(now() - start);
  }
  return times;
}
