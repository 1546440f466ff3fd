// The toolbar: the model switch and a status line (loading, the error, or the backend and the
// last forward pass's latency with the median of the recent ones).
import React from "react";
import clsx from "clsx";
import { MODEL_VIEWS, SHOWN_MODELS, type Lenet5, type Result, type ShownModel } from "./types";
import type { LoadState } from "./useShippedModels";
import styles from "./styles.module.css";

/** The model switch and the status line. */
export default function Toolbar(props: {
  lenet5: Lenet5 | null;
  model: ShownModel;
  onSwitch: (model: ShownModel) => void;
  state: LoadState;
  error: string;
  backend: string;
  result: Result | null;
  /** The recent forward passes' times, ms. */
  latencies: readonly number[];
}): React.JSX.Element {
  const { lenet5, state, result, latencies } = props;
  return (
    <div className={styles.toolbar}>
      <div className={styles.segmented} role="radiogroup" aria-label="model">
        {SHOWN_MODELS.map((name) => (
          <button
            key={name}
            type="button"
            role="radio"
            aria-checked={props.model === name}
            className={clsx(
              "button",
              props.model === name ? "button--primary" : "button--secondary",
            )}
            onClick={() => props.onSwitch(name)}
            data-model-button={name}
          >
            {MODEL_VIEWS[name].label}
          </button>
        ))}
      </div>
      <span className={styles.status} aria-live="polite">
        {state === "loading" && "Loading the model…"}
        {state === "error" && <span className={styles.error}>Could not start: {props.error}</span>}
        {state === "ready" && result && (
          <>
            {/* One decimal: performance.now() resolves 0.1 ms in a page that is not cross-origin isolated. */}
            {props.backend} backend · forward + readback{" "}
            <strong data-latency>{result.latencyMs.toFixed(1)} ms</strong>
            {lenet5 && latencies.length > 1 && (
              <>
                {" "}
                (median of last {latencies.length}: {lenet5.median(latencies).toFixed(1)} ms)
              </>
            )}
          </>
        )}
      </span>
    </div>
  );
}
