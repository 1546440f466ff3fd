/**
 * Helpers the training tests share: a model's weights as plain arrays (to compare runs bit for
 * bit) and an epoch history without its timings (which differ from run to run).
 */
import type * as tf from "@tensorflow/tfjs";
import type { EpochResult } from "../train/train";

/** Every weight of `model` as a typed array, in the model's weight order. */
export const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => w.dataSync());

/** History without its timings, which differ from run to run. */
export const untimed = (history: readonly EpochResult[]) =>
  history.map(({ epoch, loss, trainAccuracy, testAccuracy, learningRate }) => ({
    epoch,
    loss,
    trainAccuracy,
    testAccuracy,
    learningRate,
  }));
