// The prediction: the digit, a bar per digit with its score and the raw output, and what the
// shipped weights scored on the MNIST test set. The paper's RBF output is scored by eq. 9's
// posterior, which keeps a share e^(−j) for "none of the ten": a drawing far from every
// prototype (distances of 20 and more) reads as none, not as a near-certain digit — the softmax
// of −y alone gave 99% to a flattened 8 read as "0". An empty or one-shade pad gets a note instead: a model asked
// about it would still answer, often "1" at 99%.
import React from "react";
import clsx from "clsx";
import type { Lenet5, LoadedModel, Result } from "./types";
import styles from "./styles.module.css";

/** The prediction column. */
export default function PredictionPanel(props: {
  lenet5: Lenet5 | null;
  result: Result | null;
  ready: boolean;
  info: LoadedModel | null;
}): React.JSX.Element {
  const { lenet5, result, info } = props;
  return (
    <div className={styles.predictionColumn}>
      <h3 className={styles.layerTitle}>Prediction</h3>
      {result && !result.empty ? (
        <>
          <div className={styles.bigDigit} data-predicted-digit>
            {result.prediction.digit}
          </div>
          <Scores result={result} kind={lenet5?.MODEL_SPECS[result.model].output ?? "rbf"} />
        </>
      ) : (
        <p className={styles.note} data-digit-warning={result?.warning?.kind ?? ""}>
          {props.ready ? emptyNote(result) : ""}
        </p>
      )}
      {info && (
        <p className={styles.note}>
          Shipped weights: {info.epoch} passes
          {info.testAccuracy !== null &&
            `, ${(100 * info.testAccuracy).toFixed(2)}% on the MNIST test set`}
          .
        </p>
      )}
    </div>
  );
}

/** What to say instead of a digit: why there is none to read, and what to do. */
function emptyNote(result: Result | null): string {
  switch (result?.warning?.kind) {
    case "uniform":
      return "No digit to read: the pad is one uniform shade. Draw a digit.";
    case "no-ink":
      return "No digit to read: nothing stands out on the pad. Draw a digit.";
    default:
      return "Draw a digit.";
  }
}

/** Ten bars, one per digit: the prediction's scores, with the raw output y (RBF) or z (logit). */
function Scores(props: { result: Result; kind: "rbf" | "logits" }): React.JSX.Element {
  const { prediction } = props.result;
  const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
  return (
    <>
      <ol className={styles.scores} start={0} aria-label="scores per digit">
        {prediction.scores.map((score, digit) => (
          <li
            key={digit}
            className={clsx(styles.scoreRow, digit === prediction.digit && styles.best)}
          >
            <span className={styles.scoreDigit}>{digit}</span>
            <span className={styles.scoreTrack}>
              <span className={styles.scoreBar} style={{ width: percent(score) }} />
            </span>
            <span className={styles.scoreValue}>
              {percent(score)}
              <span className={styles.raw}>
                {props.kind === "rbf" ? "y = " : "z = "}
                {prediction.outputs[digit].toFixed(1)}
              </span>
            </span>
          </li>
        ))}
      </ol>
      {props.kind === "rbf" && (
        <p className={styles.note} data-rubbish-share={prediction.rubbish.toFixed(4)}>
          None of the ten: <strong>{percent(prediction.rubbish)}</strong>. Scores are the
          paper&apos;s posterior (eq. 9, j = 0.1): e<sup>−y</sup> of each digit against e
          <sup>−j</sup> for &ldquo;none&rdquo;; y is the squared distance from F6 to the
          digit&apos;s prototype.
        </p>
      )}
    </>
  );
}
