import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadMnist } from "./data/mnist";
import { SHIPPED_WEIGHTS_DIR } from "./train/pretrained";
import { assertClose } from "./test-support/assert-close";
import {
  MODEL_SPECS,
  activationProbe,
  checkpointFromBytes,
  createModel,
  digitToInput,
  fetchShippedModel,
  initBrowserBackend,
  median,
  paperLayers,
  predictionFrom,
  rbfPrototypes,
  sha256Hex,
  timeForward,
  type FetchLike,
} from "./browser";

/** A `fetch` that serves the repository's weights/ folder under "/w/". */
const fetchWeights: FetchLike = async (url) => {
  const path = join(SHIPPED_WEIGHTS_DIR, url.replace(/^\/w\//, ""));
  const found = existsSync(path);
  const bytes = found ? new Uint8Array(readFileSync(path)) : new Uint8Array();
  return {
    ok: found,
    status: found ? 200 : 404,
    json: async () => JSON.parse(new TextDecoder().decode(bytes)),
    arrayBuffer: async () => bytes.slice().buffer,
  };
};

before(async () => {
  // Without a wasmPath the browser entry never asks for wasm binaries: cpu.
  assert.equal(await initBrowserBackend(), "cpu");
});

test("doc example: initBrowserBackend starts wasm from a local folder, and switches back to cpu", async () => {
  // In Node the "URL prefix" is a folder: the binaries shipped in node_modules.
  const wasmPath = `${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`;
  assert.equal(await initBrowserBackend({ wasmPath }), "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(await initBrowserBackend({ wasmPath, preferred: "cpu" }), "cpu");
  assert.equal(await initBrowserBackend({ wasmPath }), "wasm"); // already started: no reload
  assert.equal(await initBrowserBackend(), "cpu"); // no wasmPath: cpu
});

test("doc example: sha256Hex is the standard SHA-256", async () => {
  assert.equal(
    await sha256Hex(new Uint8Array()),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  // "abc" is FIPS 180-2's first test vector.
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

test("doc example: paperLayers reads each paper layer after its squashing function", () => {
  assert.deepEqual(
    paperLayers(createModel("historical")).map((l) => l.layer),
    ["C1_tanh", "S2_tanh", "C3_tanh", "S4_tanh", "C5_tanh", "F6_tanh", "OUTPUT"],
  );
  // modern with batch norm and dropout: after ReLU, never at a Dropout or Flatten.
  assert.deepEqual(paperLayers(createModel("modern", { batchNorm: true, dropout: 0.5 })), [
    { name: "C1", layer: "C1_relu" },
    { name: "S2", layer: "S2" },
    { name: "C3", layer: "C3_relu" },
    { name: "S4", layer: "S4" },
    { name: "C5", layer: "C5_relu" },
    { name: "F6", layer: "F6_relu" },
    { name: "OUTPUT", layer: "OUTPUT" },
  ]);
});

test("doc example: activationProbe gives every layer's shape (Fig. 2) and the model's own output", () => {
  const model = createModel("historical", { seed: 3 });
  const probe = activationProbe(model);
  const input = new Float32Array(32 * 32).fill(-0.1);
  input[16 * 32 + 16] = 1.175; // one ink pixel, so maps are not all equal
  const activations = probe.run(input);
  assert.deepEqual(
    activations.map((a) => [a.name, a.shape]),
    [
      ["C1", [28, 28, 6]],
      ["S2", [14, 14, 6]],
      ["C3", [10, 10, 16]],
      ["S4", [5, 5, 16]],
      ["C5", [1, 1, 120]],
      ["F6", [84]],
      ["OUTPUT", [10]],
    ],
  );
  const direct = tf.tidy(() =>
    (model.predict(tf.tensor4d(input, [1, 32, 32, 1])) as tf.Tensor).dataSync(),
  );
  assertClose(activations[6].data, direct, {
    atol: 1e-5,
    rtol: 0,
    label: "probe OUTPUT vs model.predict",
  });
  // OUTPUT is eq. 7 on F6: y_i = Σ_j (F6_j − w_ij)², w the fixed ±1 prototypes.
  const f6 = activations[5].data;
  const w = rbfPrototypes();
  const byHand = Array.from({ length: 10 }, (_, i) =>
    f6.reduce((sum, x, j) => sum + (x - w[i * 84 + j]) ** 2, 0),
  );
  assertClose(activations[6].data, byHand, { atol: 1e-3, rtol: 0, label: "RBF distances by hand" });
  assert.throws(() => probe.run(new Float32Array(28 * 28)), /32×32/);
  model.dispose();
});

test("doc example: digitToInput gives each model its own field and levels", () => {
  const blank = new Uint8Array(784);
  const paper = digitToInput(blank, MODEL_SPECS.historical);
  assert.equal(paper.length, 32 * 32);
  assertClose([paper[0]], [-0.1], { atol: 1e-7, rtol: 0, label: "paper background" });
  const modern = digitToInput(blank, MODEL_SPECS.modern);
  assert.equal(modern.length, 28 * 28);
  assertClose([modern[0]], [-0.1307 / 0.3081], {
    atol: 1e-6,
    rtol: 0,
    label: "modern background: (0 − mean) / std",
  });
});

test("doc example: predictionFrom takes the argmin of distances and the argmax of logits", () => {
  const rbf = predictionFrom(Float32Array.of(9, 9, 1, 9, 9, 9, 9, 9, 9, 9), "rbf");
  assert.equal(rbf.digit, 2);
  // softmax(−y): e^−1 / (e^−1 + 9·e^−9) = 1 / (1 + 9·e^−8) ≈ 0.996990
  assertClose([rbf.scores[2]], [1 / (1 + 9 * Math.exp(-8))], {
    atol: 1e-9,
    rtol: 0,
    label: "RBF score",
  });
  const logits = predictionFrom([0, Math.log(3), 0, 0, 0, 0, 0, 0, 0, 0], "logits");
  assert.equal(logits.digit, 1);
  // softmax: 3 / (3 + 9) = 0.25
  assertClose([logits.scores[1]], [0.25], { atol: 1e-12, rtol: 0, label: "logit score" });
  assertClose([logits.scores.reduce((a, b) => a + b, 0)], [1], {
    atol: 1e-12,
    rtol: 0,
    label: "scores sum to 1",
  });
});

test("doc example: timeForward times each run after an untimed warm-up", () => {
  let clock = 0;
  let runs = 0;
  const times = timeForward(() => (runs += 1), {
    repeats: 3,
    warmup: 2,
    now: () => (clock += 0.5), // each now() advances 0.5 ms: every run reads 0.5 ms
  });
  assert.deepEqual(times, [0.5, 0.5, 0.5]);
  assert.equal(runs, 5);
  assert.equal(median(times), 0.5); // the shared helper, exported for the playground's latencies
});

test("doc example: fetchShippedModel loads the shipped weights, which classify MNIST test digits", async () => {
  const test = loadMnist({ split: "test" });
  const count = 50;
  for (const name of ["historical", "modern"] as const) {
    const { model, checkpoint } = await fetchShippedModel(`/w/${name}/`, name, fetchWeights);
    assert.equal(checkpoint.modelName, name);
    assert.equal(checkpoint.dir, `/w/${name}/`);
    const probe = activationProbe(model);
    let correct = 0;
    for (let n = 0; n < count; n++) {
      const digit = test.images.subarray(n * 784, (n + 1) * 784);
      const outputs = probe.run(digitToInput(digit, MODEL_SPECS[name])).at(-1)!;
      if (predictionFrom(outputs.data, MODEL_SPECS[name].output).digit === test.labels[n]) {
        correct++;
      }
    }
    // The full test set gives 98.8% (historical) and 99.4% (modern): 50 digits allow one miss.
    assert.ok(correct >= count - 1, `${name}: ${correct}/${count}`);
    model.dispose();
  }
});

test("checkpointFromBytes rejects a corrupt, missing or other model's file, naming it", async () => {
  const manifest = JSON.parse(
    readFileSync(join(SHIPPED_WEIGHTS_DIR, "historical/manifest.json"), "utf8"),
  );
  const file = manifest.weights.file as string;
  const bytes = new Uint8Array(readFileSync(join(SHIPPED_WEIGHTS_DIR, "historical", file)));
  const good = await checkpointFromBytes(manifest, { [file]: bytes }, { baseUrl: "/w/h/" });
  assert.equal(good.weights.at(-1)?.name, "OUTPUT/prototypes");
  assertClose(good.weights.at(-1)!.data, rbfPrototypes(), {
    atol: 0,
    rtol: 0,
    label: "shipped prototypes = paper bitmaps",
  });

  const flipped = bytes.slice();
  flipped[100] ^= 1;
  const fault = async (files: Record<string, Uint8Array>, options = {}) => {
    try {
      await checkpointFromBytes(manifest, files, { baseUrl: "/w/h/", ...options });
    } catch (error) {
      return [(error as { fault: string }).fault, (error as Error).message.split(":")[0]];
    }
    return ["no error", ""];
  };
  assert.deepEqual(await fault({ [file]: flipped }), ["checksum-mismatch", `/w/h/${file}`]);
  assert.deepEqual(await fault({ [file]: bytes.subarray(4) }), ["truncated", `/w/h/${file}`]);
  assert.deepEqual(await fault({}), ["missing-file", `/w/h/${file}`]);
  assert.deepEqual(await fault({ [file]: bytes }, { expectModel: "modern" }), [
    "wrong-model",
    "/w/h/manifest.json",
  ]);
  await assert.rejects(fetchShippedModel("/w/none/", "historical", fetchWeights), {
    fault: "missing-manifest",
  });
});

/** Every module reachable from `entry` by relative imports, and the packages each one imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const packages: string[] = [];
    graph.set(file, packages);
    // Type-only imports vanish from the JavaScript, so they do not count.
    const source = readFileSync(file, "utf8").replace(/(?:import|export) type [^;]*;/g, "");
    for (const match of source.matchAll(/(?:from|import|require\()\s*"([^"]+)"/g)) {
      const spec = match[1];
      if (!spec.startsWith(".")) {
        packages.push(spec);
        continue;
      }
      const base = resolve(dirname(file), spec);
      const target = [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f));
      assert.ok(target, `${file}: cannot resolve ${spec}`);
      visit(target);
    }
  };
  visit(resolve(__dirname, entry));
  return graph;
}

test("the browser entry reaches no Node module", () => {
  const nodeOnly = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), "jsdom"]);
  const found: string[] = [];
  for (const [file, packages] of importGraph("browser.ts")) {
    for (const spec of packages) {
      if (nodeOnly.has(spec)) found.push(`${relative(__dirname, file)} → ${spec}`);
    }
  }
  assert.deepEqual(found, []);
});
