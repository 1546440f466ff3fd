// lenet5/live against the library: a LiveSession's losses are trainModel's for the same seed,
// digits and batch size (both nets, both optimisers, across a pass boundary and a Hessian
// re-estimate); the shipped formats round-trip; a bad manifest or digits file is refused; and
// the entry reaches neither Node's modules nor tfjs (it runs in a Web Worker).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../backend";
import { loadMnist } from "../data/mnist";
import { createModel } from "../models/registry";
import { historicalParams } from "../models/historical";
import { modernParams } from "../models/modern";
import { DEFAULT_SDLM_BATCH_SIZE, trainModel } from "../train/train";
import { engineOptimizerOf } from "../train/engine-steps";
import { createOptimizer } from "../train/optimizers";
import { sdlmMuForBatch, SDLM_HESSIAN_SAMPLES } from "../train/sdlm";
import { paperSdlmSchedule } from "../train/schedules";
import { assertClose } from "../test-support/assert-close";
import {
  Engine,
  LiveSession,
  flatFromParams,
  joinDigits,
  liveMaxBatch,
  netDigits,
  paramsFromFlat,
  parseLiveManifest,
  recipeRate,
  splitDigits,
  type EngineNet,
  type LiveRecipe,
} from "./index";

before(() => initBackend("wasm"));

const COUNT = 96; // 6 batches of 16: a pass ends inside the compared steps
const raw = (() => {
  const mnist = loadMnist({ split: "train" });
  return splitDigits(
    joinDigits({ images: mnist.images, labels: mnist.labels, count: COUNT }),
    COUNT,
  );
})();

function recipeFor(optimizer: "sdlm" | "adam", batchSize: number): LiveRecipe {
  const sdlm = optimizer === "sdlm";
  const tfjs = createOptimizer(optimizer, sdlm ? { mu: sdlmMuForBatch(batchSize) } : {});
  const engineOptimizer = engineOptimizerOf(tfjs);
  tfjs.dispose();
  return {
    batchSize,
    optimizer: engineOptimizer,
    schedule: sdlm ? [1, 2, 3].map(paperSdlmSchedule) : [engineOptimizer.learningRate],
    hessianSamples: sdlm ? Math.min(SDLM_HESSIAN_SAMPLES, 50) : 0,
  };
}

async function trainModelLosses(net: EngineNet, recipe: LiveRecipe, steps: number) {
  const train = netDigits(raw, net);
  const losses: number[] = [];
  const result = await trainModel({
    model: net,
    optimizer: recipe.optimizer.name,
    seed: 3,
    batchSize: recipe.batchSize,
    epochs: 2,
    threads: 1,
    hessianSamples: recipe.hessianSamples || undefined,
    learningRate: (epoch: number) => recipeRate(recipe, epoch),
    data: { train: { images: train.images, labels: train.labels, count: train.count } },
    evaluate: false,
    onBatch: (p) => void losses.push(p.loss),
  });
  result.model.dispose();
  return losses.slice(0, steps);
}

function sessionLosses(net: EngineNet, recipe: LiveRecipe, steps: number) {
  const model = createModel(net, { seed: 3 });
  const init = flatFromParams(net === "historical" ? historicalParams(model) : modernParams(model));
  model.dispose();
  const engine = Engine.create(net, { maxBatch: liveMaxBatch(recipe) });
  const session = new LiveSession({ engine, init, recipe, seed: 3, train: netDigits(raw, net) });
  return session.run(steps).losses;
}

for (const net of ["historical", "modern"] as const) {
  for (const optimizer of ["sdlm", "adam"] as const) {
    test(`LiveSession's losses are trainModel's: ${net}, ${optimizer}`, async () => {
      const recipe = recipeFor(optimizer, optimizer === "sdlm" ? DEFAULT_SDLM_BATCH_SIZE : 32);
      const steps = Math.ceil((COUNT / recipe.batchSize) * 1.5);
      const want = await trainModelLosses(net, recipe, steps);
      const got = sessionLosses(net, recipe, steps);
      assert.equal(got.length, steps);
      assertClose(got, want, { rtol: 1e-6, label: `${net} ${optimizer} losses` });
    });
  }
}

test("reset brings back the first steps' losses", () => {
  const recipe = recipeFor("sdlm", 16);
  const model = createModel("historical", { seed: 1 });
  const init = flatFromParams(historicalParams(model));
  model.dispose();
  const engine = Engine.create("historical", { maxBatch: liveMaxBatch(recipe) });
  const session = new LiveSession({
    engine,
    init,
    recipe,
    seed: 1,
    train: netDigits(raw, "historical"),
  });
  const first = session.run(4).losses;
  session.run(3);
  session.reset();
  assert.equal(session.imagesSeen, 0);
  assert.deepEqual(session.run(4).losses, first);
  assert.ok(session.layerRates()?.every(({ rate }) => rate > 0 && Number.isFinite(rate)));
});

test("weights and digits round-trip; bad files are refused", () => {
  const flat = Float32Array.from({ length: 60000 }, (_, i) => Math.sin(i));
  assert.deepEqual(flatFromParams(paramsFromFlat("historical", flat)), flat);
  assert.throws(() => paramsFromFlat("historical", new Float32Array(59999)), /60000/);
  assert.throws(() => splitDigits(new Uint8Array(785 * 2 - 1), 2), /1570 bytes/);
  const bad = joinDigits({ images: new Uint8Array(784), labels: Uint8Array.of(10), count: 1 });
  assert.throws(() => splitDigits(bad, 1), /not 0–9/);
  assert.throws(() => parseLiveManifest({ format: "x" }), /format/);
});

test("lenet5/live reaches neither Node modules nor tfjs", () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const [, spec] of source.matchAll(/(?:from|import)\s+"([^"]+)"/g)) {
      assert.ok(spec.startsWith("."), `${file} imports ${spec}`);
      const path = join(file, "..", spec);
      visit(path.endsWith(".ts") ? path : `${path}.ts`);
    }
  };
  visit(join(__dirname, "index.ts"));
  assert.ok(seen.size > 5);
});
