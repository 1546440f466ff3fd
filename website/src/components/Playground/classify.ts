// Classifying the drawing: the canvas through lenet5's own MNIST preparation (imageToMnist:
// bounding box into 20×20, centre of mass at (14, 14)) and the model's input normalisation, as
// in training, then one forward pass that returns every layer, timed with its readback. A pad
// with no digit on it (empty, one shade) is flagged, so no confident answer is shown for it.
import { readGray } from "./drawing";
import type {
  DigitWarning,
  LayerActivation,
  Lenet5,
  LoadedModel,
  Result,
  ShownModel,
} from "./types";

/** The drawing in MNIST's form and as `name`'s input. */
export function prepareDrawing(
  lenet5: Lenet5,
  canvas: HTMLCanvasElement,
  name: ShownModel,
): { digit28: Uint8Array; input: Float32Array; warning: DigitWarning | null } | null {
  const gray = readGray(canvas);
  if (!gray) return null;
  const form = { polarity: "light-on-dark" } as const;
  const digit28 = lenet5.imageToMnist(gray, canvas.width, canvas.height, form);
  // The same check as `lenet5 predict`: an empty or one-shade pad holds no digit to read.
  const warning = lenet5.digitWarning(gray, canvas.width, canvas.height, form);
  return { digit28, input: lenet5.digitToInput(digit28, lenet5.MODEL_SPECS[name]), warning };
}

/** The drawing prepared and run once through `loaded`: every layer, the prediction, the time. */
export function classifyDrawing(
  lenet5: Lenet5,
  loaded: LoadedModel,
  canvas: HTMLCanvasElement,
  name: ShownModel,
): Result | null {
  const prepared = prepareDrawing(lenet5, canvas, name);
  if (!prepared) return null;
  const { digit28, input, warning } = prepared;
  const start = performance.now();
  const activations = loaded.probe.run(input);
  const latencyMs = performance.now() - start;
  return resultOf(lenet5, name, { digit28, input, warning }, activations, latencyMs);
}

/**
 * A {@link Result} from a prepared drawing and one forward pass's layers (the last is OUTPUT):
 * the prediction read the model's way. The training view builds its results with it too.
 */
export function resultOf(
  lenet5: Lenet5,
  name: ShownModel,
  drawing: { digit28: Uint8Array; input: Float32Array; warning: DigitWarning | null },
  activations: readonly LayerActivation[],
  latencyMs: number,
): Result {
  const { digit28, input, warning } = drawing;
  const spec = lenet5.MODEL_SPECS[name];
  const output = activations[activations.length - 1];
  return {
    model: name,
    empty: warning !== null || digit28.every((v) => v === 0),
    warning,
    digit28,
    input,
    inputSize: spec.inputSize,
    activations,
    prediction: lenet5.predictionFrom(output.data, spec.output),
    latencyMs,
  };
}
