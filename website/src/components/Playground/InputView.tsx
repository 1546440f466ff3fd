// "What the network sees": the drawing in MNIST's form (28×28) and as the model's input, drawn
// between the input levels of the model's normalisation (MODEL_SPECS[name].normalisation).
import React from "react";
import { GrayImage } from "./canvases";
import type { Lenet5, Result, ShownModel } from "./types";
import styles from "./styles.module.css";

const NOTES = {
  paper:
    "Bounding box scaled into 20×20, centred by mass in 28×28 (as MNIST was made), then placed in the paper's 32×32 field with background −0.1 and ink 1.175.",
  modern:
    "Bounding box scaled into 20×20, centred by mass in 28×28, standardised with MNIST's mean 0.1307 and std 0.3081.",
} as const;

/** The two pictures of the drawing the model reads (none before the first classification). */
export default function InputView(props: {
  lenet5: Lenet5 | null;
  model: ShownModel;
  result: Result | null;
}): React.JSX.Element {
  const { lenet5, result } = props;
  const normalisation = lenet5?.MODEL_SPECS[props.model].normalisation ?? "paper";
  return (
    <div className={styles.inputColumn}>
      <h3 className={styles.layerTitle}>What the network sees</h3>
      {result && lenet5 ? (
        <div className={styles.inputs}>
          <GrayImage
            data={result.digit28}
            width={28}
            height={28}
            low={0}
            high={255}
            size={112}
            label="MNIST form 28×28"
          />
          <GrayImage
            data={result.input}
            width={result.inputSize}
            height={result.inputSize}
            {...inputLevels(lenet5, normalisation)}
            size={(112 * result.inputSize) / 28}
            label={`input ${result.inputSize}×${result.inputSize}`}
          />
        </div>
      ) : null}
      <p className={styles.note}>{NOTES[normalisation]}</p>
    </div>
  );
}

/** Background and ink of a normalisation: black and white of the input picture. */
function inputLevels(
  lenet5: Lenet5,
  normalisation: "paper" | "modern",
): { low: number; high: number } {
  return normalisation === "paper"
    ? { low: lenet5.INPUT_BACKGROUND, high: lenet5.INPUT_FOREGROUND }
    : {
        low: -lenet5.MNIST_MEAN / lenet5.MNIST_STD,
        high: (1 - lenet5.MNIST_MEAN) / lenet5.MNIST_STD,
      };
}
