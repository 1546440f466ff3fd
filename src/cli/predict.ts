/**
 * `lenet5 predict`: classifies PNG or PGM pictures of single digits, of any size, grayscale or
 * colour, either way round. Each picture is brought to MNIST's form as the training data were made
 * (src/data/image-file.ts: polarity detected from the border, ink box scaled into 20×20, centred by
 * centre of mass in 28×28), then to the model's input. A picture with no digit in it (too small,
 * uniform, nothing standing out) gets a warning and no digit, not the model's confident guess.
 */
import { oneOf, parseOptions, UsageError } from "./args";
import { modelWithWeights } from "./evaluate";
import { initBackend } from "../backend";
import { digitWarning, imageToMnist, readImageFile } from "../data/image-file";
import { toNetworkInput } from "../data/preprocess";
import { MODEL_NAMES, MODEL_SPECS } from "../models/registry";
import { predictBatch } from "../train/evaluate";

/** Runs `lenet5 predict`; returns the exit code. */
export async function predictCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      model: { type: "string" },
      weights: { type: "string" },
      json: { type: "boolean", default: false },
    },
    { positionals: true },
  );
  const modelName = oneOf("--model", values.model, MODEL_NAMES);
  if (positionals.length === 0) throw new UsageError("predict needs at least one image file");
  // Read every file first: a bad one fails the command before any model work, naming the file.
  const pictures = positionals.map((file) => {
    const image = readImageFile(file);
    const { gray, width, height, polarity } = image;
    return {
      file,
      polarity,
      warning: digitWarning(gray, width, height, { polarity })?.message ?? null,
      digit: imageToMnist(gray, width, height, { polarity }),
    };
  });
  for (const p of pictures) {
    if (p.warning !== null) process.stderr.write(`lenet5: warning: ${p.file}: ${p.warning}\n`);
  }
  const backend = await initBackend();
  const model = modelWithWeights(modelName, values.weights);
  const spec = MODEL_SPECS[modelName];
  const raw = new Uint8Array(pictures.length * 28 * 28);
  pictures.forEach((p, i) => raw.set(p.digit, i * 28 * 28));
  const inputs = toNetworkInput(raw, pictures.length, {
    size: spec.inputSize,
    normalisation: spec.normalisation,
  });
  const { digits, scores, probabilities } = predictBatch(model, modelName, inputs, pictures.length);
  model.dispose();
  const results = pictures.map((p, i) => ({
    file: p.file,
    polarity: p.polarity,
    // No digit for a picture without one: the scores stay for the curious, flagged by `warning`.
    digit: p.warning === null ? digits[i] : null,
    warning: p.warning,
    scores: Array.from(scores.subarray(i * 10, i * 10 + 10)),
    probabilities: Array.from(probabilities.subarray(i * 10, i * 10 + 10)),
  }));
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ model: modelName, backend, scoreKind: spec.output === "rbf" ? "distance" : "logit", results })}\n`,
    );
    return 0;
  }
  process.stdout.write(`model ${modelName} · backend ${backend}\n`);
  for (const r of results) {
    if (r.warning !== null) {
      process.stdout.write(`${r.file}: no digit (${r.warning})\n`);
      continue;
    }
    const ranked = r.probabilities
      .map((p, d) => ({ d, p }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 3)
      .map(({ d, p }) => `${d} ${(100 * p).toFixed(1)}%`)
      .join(", ");
    process.stdout.write(`${r.file}: ${r.digit}   (${r.polarity}; ${ranked})\n`);
  }
  return 0;
}
