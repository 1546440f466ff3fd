// Tests of `lenet5 bench`'s argument parsing (options, --quick, usage mistakes) and of the command
// end to end with a tiny run: JSON on stdout, progress on stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "./args";
import { benchCommand, parseBenchArgs } from "./bench";

test("doc example: parseBenchArgs maps flags to runBenchmark options", () => {
  assert.deepEqual(parseBenchArgs(["--json", "--models", "modern", "--windows", "3"]), {
    json: true,
    options: { models: ["modern"], windows: 3 },
  });
  assert.deepEqual(
    parseBenchArgs([
      "--no-torch",
      "--python",
      "/opt/py",
      "--torch-threads",
      "1,4",
      "--warmup",
      "0",
      "--window-warmup",
      "2",
      "--batch",
      "256",
    ]),
    {
      json: false,
      options: {
        torch: false,
        python: "/opt/py",
        torchThreads: [1, 4],
        warmupSteps: 0,
        windowWarmupSteps: 2,
        trainBatch: 256,
      },
    },
  );
});

test("--quick makes a smoke run; explicit options still win", () => {
  const { options } = parseBenchArgs(["--quick", "--windows", "4"]);
  assert.equal(options.windows, 4);
  assert.equal(options.trainSteps, 3);
  assert.equal(options.inferBatches, 1);
});

test("usage mistakes throw UsageError naming the option", () => {
  assert.throws(
    () => parseBenchArgs(["--windows", "0"]),
    (e: unknown) => e instanceof UsageError && /--windows/.test(e.message),
  );
  assert.throws(() => parseBenchArgs(["--models", "modern,lenet9"]), /--models must be one of/);
  assert.throws(() => parseBenchArgs(["--warmup", "-1"]), /--warmup/);
  assert.throws(() => parseBenchArgs(["--window-warmup", "1.5"]), /--window-warmup/);
  assert.throws(() => parseBenchArgs(["--batch", "0"]), /--batch/);
  assert.throws(() => parseBenchArgs(["--fast"]), UsageError);
});

test("doc example: benchCommand prints the JSON on stdout and progress on stderr", async () => {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
  };
  const code = await benchCommand(["--json", "--quick", "--models", "modern", "--no-torch"], io);
  assert.equal(code, 0);
  const result = JSON.parse(stdout);
  assert.deepEqual(Object.keys(result.models), ["modern"]);
  assert.ok(result.models.modern.trainImagesPerSec > 0);
  assert.equal(result.torch, null);
  assert.equal(result.ratio, null);
  assert.match(stderr, /\[bench\] round 1\/2 modern: train \d+ img\/s/);

  stdout = "";
  await benchCommand(["--quick", "--models", "modern", "--no-torch"], io);
  assert.match(stdout, /modern \[wasm, adam, [12]T\]/);
});
