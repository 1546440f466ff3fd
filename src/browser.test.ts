import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadMnist } from "./data/mnist";
import { SHIPPED_WEIGHTS_DIR } from "./train/pretrained";
import { assertClose } from "./test-support/assert-close";
import * as inspect from "./inspect";
import * as browser from "./browser";
import {
  MODEL_SPECS,
  activationProbe,
  checkpointFromBytes,
  digitToInput,
  fetchShippedModel,
  initBrowserBackend,
  predictionFrom,
  rbfPrototypes,
  sha256Hex,
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

test("the browser entry exports the shared median (the playground's latencies)", () => {
  assert.equal(browser.median([3, 1, 2]), 2);
});

test("the browser entry re-exports the inspection tools of src/inspect/", () => {
  for (const name of [
    "activationProbe",
    "paperLayers",
    "digitToInput",
    "predictionFrom",
    "timeForward",
  ]) {
    assert.equal(
      browser[name as keyof typeof browser],
      inspect[name as keyof typeof inspect],
      name,
    );
  }
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
