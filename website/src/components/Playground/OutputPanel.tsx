// F6 and the output layer. For a model whose output is the paper's Euclidean RBF layer
// (MODEL_SPECS[name].output === "rbf"): F6 as a 7×12 gray picture beside the ten prototypes,
// on the bitmaps' own scale (−1 black, +1 white) so the match can be seen, each with its
// distance. For a logits model: F6 alone, 0 … its largest value.
import React, { useState } from "react";
import clsx from "clsx";
import { GrayImage } from "./canvases";
import { maxAbs } from "./paint";
import type { Lenet5, Result } from "./types";
import styles from "./styles.module.css";

const RBF_NOTE =
  "Each output unit is the squared distance y_i = Σ_j (F6_j − w_ij)² from F6 to a fixed ±1 bitmap w_i (eq. 7); the prediction is the closest bitmap. F6 is drawn on the bitmaps' scale: −1 black, +1 white.";
const LOGITS_NOTE =
  "The modern net has no prototypes: OUTPUT is a linear layer of 10 logits, turned into probabilities by softmax. F6 is drawn from 0 (black) to its largest value (white).";

/** F6, and the RBF prototypes with their distances where the model has them. */
export default function OutputPanel(props: { lenet5: Lenet5; result: Result }): React.JSX.Element {
  const { lenet5, result } = props;
  const f6 = result.activations.find((a) => a.name === "F6");
  const [prototypes] = useState(() => lenet5.rbfPrototypes());
  if (!f6) return <></>;
  const isRbf = lenet5.MODEL_SPECS[result.model].output === "rbf";
  return (
    <section className={styles.layer} data-layer="F6">
      <h3 className={styles.layerTitle}>
        F6 <span className={styles.shape}>84 units · [84] shown as 7×12</span>
        {isRbf ? (
          <>
            {" "}
            → OUTPUT <span className={styles.shape}>10 Euclidean RBF units</span>
          </>
        ) : null}
      </h3>
      <p className={styles.note}>{isRbf ? RBF_NOTE : LOGITS_NOTE}</p>
      <div className={styles.rbfRow}>
        <div className={styles.f6}>
          <GrayImage
            data={f6.data}
            width={lenet5.RBF_BITMAP_WIDTH}
            height={lenet5.RBF_BITMAP_HEIGHT}
            low={isRbf ? -1 : 0}
            high={isRbf ? 1 : Math.max(maxAbs(f6.data), 1e-6)}
            size={56}
            label="F6"
          />
        </div>
        {isRbf ? <Prototypes lenet5={lenet5} result={result} prototypes={prototypes} /> : null}
      </div>
    </section>
  );
}

/** The ten RBF prototypes w_0 … w_9, each with its distance y_i; the closest one marked. */
function Prototypes(props: {
  lenet5: Lenet5;
  result: Result;
  prototypes: Float32Array;
}): React.JSX.Element {
  const { lenet5, result, prototypes } = props;
  const width = lenet5.RBF_BITMAP_WIDTH;
  const height = lenet5.RBF_BITMAP_HEIGHT;
  const size = width * height; // 84 values per prototype
  return (
    <div className={styles.prototypes}>
      {Array.from({ length: 10 }, (_, digit) => (
        <figure
          key={digit}
          className={clsx(
            styles.thumb,
            styles.prototype,
            digit === result.prediction.digit && styles.closest,
          )}
          data-digit={digit}
        >
          <GrayImage
            data={prototypes.subarray(digit * size, (digit + 1) * size)}
            width={width}
            height={height}
            low={-1}
            high={1}
            size={42}
            label={`w${digit}`}
          />
          <figcaption className={styles.distance}>
            {result.prediction.outputs[digit].toFixed(1)}
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
