// Tests of the benchmark's shape and plumbing, never its timings: tiny windows check the JSON
// fields; a Node stand-in for the PyTorch child (fixed, made-up rates) checks the interleaving,
// the choice of thread count and the ratio; a missing python gives torch: null with a reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { formatBenchmark, runBenchmark, summarise, type BenchOptions } from "./bench";

/** Options that make a run take well under a second per model. */
const TINY: BenchOptions = {
  windows: 2,
  trainSteps: 1,
  inferBatches: 1,
  warmupSteps: 1,
  inferBatch: 16,
  torchTrainSteps: 2,
  torchInferBatches: 1,
  onlineSteps: 5,
  torchOnlineSteps: 2,
};

/**
 * A stand-in for scripts/bench_torch.py --serve, run by node: replies to each window with a made-up
 * duration, so 1 thread gives 6,400 train img/s and 2 threads 3,200; inference 1 thread 10,000,
 * 2 threads 20,000 images/s; the faithful twin's online updates 500 images/s on 1 thread, 400 on
 * 2. Like the real script it takes --train-batch and --infer-batch, and it refuses to start
 * without them; it answers online windows only with Table I (--table).
 */
const STAND_IN = `
const readline = require("node:readline");
const argv = process.argv.slice(2);
// The benchmark must give PyTorch its batch sizes: refuse to start without them.
if (!argv.includes("--train-batch") || !argv.includes("--infer-batch")) {
  console.log(JSON.stringify({ ready: false, error: "stand-in: no --train-batch/--infer-batch" }));
  process.exit(3);
}
const flag = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const trainBatch = flag("--train-batch", 64);
const inferBatch = flag("--infer-batch", 1000);
console.log(JSON.stringify({ ready: true, torch: "stand-in", python: "none", executable: process.execPath, env: { OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY }, trainBatch, inferBatch }));
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const c = JSON.parse(line);
  if (c.op === "quit") process.exit(0);
  if (c.op === "warmup") return console.log(JSON.stringify({ op: "warmup", threads: c.threads }));
  if (c.op === "online") {
    if (!argv.includes("--table") || JSON.parse(argv[argv.indexOf("--table") + 1]).length !== 16) {
      return console.log(JSON.stringify({ error: "stand-in: online needs --table (Table I)" }));
    }
    return console.log(JSON.stringify({ op: "online", threads: c.threads, images: c.steps, seconds: c.steps / (c.threads === 1 ? 500 : 400) }));
  }
  if (c.op === "train") {
    const images = c.steps * trainBatch;
    return console.log(JSON.stringify({ op: "train", threads: c.threads, images, seconds: images / (c.threads === 1 ? 6400 : 3200) }));
  }
  const images = c.batches * inferBatch;
  console.log(JSON.stringify({ op: "infer", threads: c.threads, images, seconds: images / (c.threads === 1 ? 10000 : 20000) }));
});
`;

function standIn(t: { after: (fn: () => void) => void }, source = STAND_IN): string {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-bench-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "stand-in.js");
  writeFileSync(path, source);
  return path;
}

test("doc example: summarise gives the median (mean of the middle two), min and max", () => {
  assert.deepEqual(summarise([3, 1, 2, 10]), {
    median: 2.5,
    min: 1,
    max: 10,
    windows: [3, 1, 2, 10],
  });
  assert.equal(summarise([5, 1, 3]).median, 3);
  assert.throws(() => summarise([]), /no windows/);
});

test("doc example: runBenchmark without PyTorch gives every field of the JSON", async () => {
  const result = await runBenchmark({
    models: ["modern"],
    windows: 3,
    trainSteps: 5,
    torch: false,
    log: () => {},
  });
  const modern = result.models.modern!;
  for (const key of [
    "trainImagesPerSec",
    "trainMin",
    "trainMax",
    "inferImagesPerSec",
    "inferMin",
    "inferMax",
  ] as const) {
    assert.ok(Number.isFinite(modern[key]) && modern[key] > 0, key);
  }
  assert.ok(
    modern.trainMin <= modern.trainImagesPerSec && modern.trainImagesPerSec <= modern.trainMax,
  );
  assert.equal(modern.trainWindows.length, 3);
  assert.equal(modern.params, 61706);
  assert.equal(modern.loss, "softmax-cross-entropy");
  assert.equal(modern.inputSize, 28);
  assert.ok(Number.isFinite(modern.finalLoss));
  assert.equal(modern.optimizer, "adam"); // trainModel's default for modern
  // What trainModel picks for an MNIST epoch: two threads wherever there are two cores.
  assert.equal(modern.threads, availableParallelism() >= 2 ? 2 : 1);
  assert.equal(result.torch, null);
  assert.equal(result.ratio, null);
  assert.match(result.torchNote!, /turned off/);
  assert.equal(result.backend, "wasm");
  assert.equal(result.settings.trainBatch, 64);
  assert.equal(result.settings.inferBatch, 1000);
  // JSON-ready: a round trip keeps it.
  assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  const table = formatBenchmark(result); // doc example
  assert.match(table, /^model +train img\/s/);
  assert.match(table, /modern \[wasm, adam, [12]T\]/);
  assert.match(table, /PyTorch: PyTorch comparison turned off/);
});

test("the historical model trains with the paper's RBF loss at 32×32", async () => {
  const result = await runBenchmark({
    ...TINY,
    models: ["historical"],
    torch: false,
    log: () => {},
  });
  const historical = result.models.historical!;
  assert.equal(historical.loss, "rbf");
  assert.equal(historical.inputSize, 32);
  assert.equal(historical.params, 60000 + 840); // 60,000 trainable + the fixed RBF prototypes
  assert.ok(Number.isFinite(historical.finalLoss));
});

test("with a PyTorch child: windows interleave by round, the better thread count is used, ratio = modern ÷ PyTorch", async (t) => {
  const lines: string[] = [];
  const result = await runBenchmark({
    ...TINY,
    models: ["modern"],
    python: process.execPath,
    pythonArgs: [standIn(t)],
    log: (line) => lines.push(line),
  });
  const torch = result.torch!;
  assert.equal(torch.torchVersion, "stand-in");
  assert.equal(torch.env.OMP_WAIT_POLICY, "PASSIVE"); // the steadying settings reach the child
  assert.deepEqual(torch.threads, { train: 1, infer: 2 });
  assertNear(torch.trainImagesPerSec, 6400);
  assertNear(torch.inferImagesPerSec, 20000);
  assertNear(torch.byThreads["2"].train.median, 3200);
  assertNear(torch.byThreads["1"].infer.median, 10000);
  const modern = result.models.modern!;
  assertNear(result.ratio!.train, modern.trainImagesPerSec / 6400);
  assertNear(result.ratio!.infer, modern.inferImagesPerSec / 20000);
  // Round 1: tfjs, then PyTorch 1 then 2 threads; round 2 rotates the thread order.
  const rounds = lines
    .filter((line) => line.includes("] round "))
    .map((line) => line.replace(/:.*/, ""));
  assert.deepEqual(rounds, [
    "[bench] round 1/2 modern",
    "[bench] round 1/2 pytorch 1 thread",
    "[bench] round 1/2 pytorch 2 threads",
    "[bench] round 2/2 modern",
    "[bench] round 2/2 pytorch 2 threads",
    "[bench] round 2/2 pytorch 1 thread",
  ]);
  assert.match(
    formatBenchmark(result),
    /lenet5 ÷ PyTorch: modern train .*× \(PyTorch threads: train 1, infer 2\)/,
  );
});

test("online and historical: batch-1 windows on both sides, ratio.online and ratio.historicalTrain", async (t) => {
  const lines: string[] = [];
  const result = await runBenchmark({
    ...TINY,
    models: ["historical", "modern"],
    python: process.execPath,
    pythonArgs: [standIn(t)],
    log: (line) => lines.push(line),
  });
  const online = result.online!;
  assert.equal(online.lenet5.windows.length, 2);
  assertNear(online.torch!.median, 500);
  assert.equal(online.torchThreads, 1);
  assertNear(result.ratio!.online!, online.lenet5.median / 500);
  assertNear(result.ratio!.historicalTrain!, result.models.historical!.trainImagesPerSec / 6400);
  assert.equal(result.models.historical!.engine, "engine");
  assert.ok(lines.some((line) => /round 2\/2 historical online/.test(line)));
  assert.match(formatBenchmark(result), /historical online \(batch 1, SDLM\)/);
  assert.match(formatBenchmark(result), /historical train .*×, online .*×/);
});

test("PyTorch absent or failing: torch and ratio are null and torchNote says why", async (t) => {
  const missing = await runBenchmark({
    ...TINY,
    models: ["modern"],
    python: "/nonexistent/python3",
    log: () => {},
  });
  assert.equal(missing.torch, null);
  assert.equal(missing.ratio, null);
  assert.match(missing.torchNote!, /PyTorch not available: the PyTorch child could not start/);

  const refusing = standIn(
    t,
    `console.log(JSON.stringify({ ready: false, error: "No module named 'torch'" })); process.exit(3);`,
  );
  const absent = await runBenchmark({
    ...TINY,
    models: ["modern"],
    python: process.execPath,
    pythonArgs: [refusing],
    log: () => {},
  });
  assert.equal(absent.torch, null);
  assert.match(absent.torchNote!, /No module named 'torch'/);

  const noScript = await runBenchmark({
    ...TINY,
    models: ["modern"],
    torchScript: "/nonexistent/bench_torch.py",
    log: () => {},
  });
  assert.match(noScript.torchNote!, /script not found/);
});

test("runBenchmark checks its settings", async () => {
  await assert.rejects(
    runBenchmark({ windows: 0, torch: false }),
    /windows must be a positive integer/,
  );
  await assert.rejects(runBenchmark({ torchThreads: [], torch: false }), /torchThreads/);
});

function assertNear(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${actual} != ${expected}`);
}
