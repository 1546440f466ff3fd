// The layout rule of src/layers/: it holds the tfjs twins of src/scratch/'s ops, file for file
// under the same names, plus the initialisers beside them, and its barrel exports all of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The module names (file names without .ts) of a folder's non-test TypeScript files. */
function modules(folder: string): string[] {
  return readdirSync(join(__dirname, "..", folder))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

/** src/layers/ files that are not twins of an op: the barrel and the paper's initialisers. */
const LAYERS_NOT_OPS = ["index", "initializer-base", "paper-uniform", "rng-normal"];
/**
 * src/scratch/ files that are not ops: the barrel, the tensor type, the gradient checker, the
 * optimisers' plain updates.
 */
const SCRATCH_NOT_OPS = ["gradcheck", "index", "optimizers", "tensor"];
/** The whole-network files of src/scratch/: each net written once. */
const SCRATCH_WHOLE_NETWORKS = ["historical", "modern"];

test("src/layers/ and src/scratch/ hold the same ops, file for file", () => {
  const layers = modules("layers");
  const scratch = modules("scratch");
  for (const name of LAYERS_NOT_OPS) assert.ok(layers.includes(name), `src/layers/${name}.ts`);
  for (const name of [...SCRATCH_NOT_OPS, ...SCRATCH_WHOLE_NETWORKS]) {
    assert.ok(scratch.includes(name), `src/scratch/${name}.ts`);
  }
  const layerOps = layers.filter((name) => !LAYERS_NOT_OPS.includes(name));
  const scratchOps = scratch.filter(
    (name) => !SCRATCH_NOT_OPS.includes(name) && !SCRATCH_WHOLE_NETWORKS.includes(name),
  );
  assert.deepEqual(layerOps, scratchOps);
  // The ten ops of the paper's net and its modern twin, and average pooling (an ablation's S2/S4).
  assert.deepEqual(layerOps, [
    "avg-pool",
    "conv2d",
    "dense",
    "max-pool",
    "rbf",
    "rbf-loss",
    "relu",
    "scaled-tanh",
    "softmax-cross-entropy",
    "sparse-conv2d",
    "subsampling",
  ]);
});

test("the layers barrel exports every twin and the initialisers a learner uses", () => {
  const barrel = readFileSync(join(__dirname, "index.ts"), "utf8");
  const exported = [...barrel.matchAll(/^export \* from "\.\/([a-z0-9-]+)";$/gm)].map((m) => m[1]);
  const wanted = modules("layers").filter(
    (name) => name !== "index" && name !== "initializer-base",
  );
  assert.deepEqual([...exported].sort(), wanted);
});
