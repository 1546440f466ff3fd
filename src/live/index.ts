/**
 * lenet5/live: what the site's live training view needs, and nothing that needs Node or tfjs —
 * the whole-step engine (compiled synchronously in a Web Worker or asynchronously anywhere),
 * a step-by-step run in trainModel's order ({@link LiveSession}), the shipped digits' and
 * weights' decoding, and the scratch nets' forward passes (every layer's maps of one digit).
 *
 * Input shape: digits as MNIST pixels (0…255), converted to the net's [count, S, S, 1].
 * Output shape: losses, accuracies, parameter records and activations.
 */
export { Engine, type EngineNet, type EngineOptimizer, type EngineParams } from "../engine/engine";
export * from "./recipe";
export * from "./digits";
export * from "./session";
export {
  historicalForward,
  type HistoricalParams,
  type HistoricalActivations,
} from "../scratch/historical";
export { modernForward, type ModernParams, type ModernActivations } from "../scratch/modern";
export type { Tensor } from "../scratch/tensor";
export { RBF_BITMAP_HEIGHT, RBF_BITMAP_WIDTH, rbfPrototypes } from "../paper";
export { MNIST_SIDE } from "../data/preprocess";
export { digitWarning, imageToMnist, type DigitWarning } from "../data/mnist-form";
export { toNetworkInput } from "../data/preprocess";
