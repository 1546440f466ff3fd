// The interactive LeNet-5: draw a digit; the shipped model runs in the browser (tfjs, wasm) on
// every stroke and shows what each layer computes — C1 … C5 feature maps, F6 as a 7×12 image
// beside the paper's ten RBF prototypes with their distances (Section II-B, eq. 7), and the
// prediction. A switch swaps in the modern LeNet-5 (ReLU, max pooling, softmax), with its own
// layers. The parts: DrawingPad (the canvas), useShippedModels (lenet5 and the weights),
// classify.ts (the drawing through lenet5's own MNIST preparation, as in training), InputView,
// PredictionPanel, LayerView and OutputPanel (what the model computed), Toolbar.
//
// For tests and the benchmark the root element carries data-state ("loading" | "ready" |
// "error"), data-model, data-backend, data-prediction (a digit, or "" for an empty canvas),
// data-warning (why there is no digit to read: "uniform", "no-ink", or "") and
// data-latency-ms (the last forward pass with readback, performance.now); window.lenet5Playground
// offers benchmark(repeats) on the current drawing (useBenchmarkHook, scripts/bench-site.mjs).
import React, { useCallback, useEffect, useRef, useState } from "react";
import { useColorMode } from "@docusaurus/theme-common";
import { classifyDrawing, prepareDrawing } from "./classify";
import DrawingPad from "./DrawingPad";
import InputView from "./InputView";
import LayerView from "./LayerView";
import { paletteFor } from "./paint";
import PredictionPanel from "./PredictionPanel";
import Toolbar from "./Toolbar";
import type { LoadedModel, Result, ShownModel } from "./types";
import { useBenchmarkHook } from "./useBenchmarkHook";
import { useShippedModels } from "./useShippedModels";
import styles from "./styles.module.css";

/** Forward-pass times kept for the median in the status line. */
const LATENCIES_KEPT = 50;

/** The whole playground. */
export default function Playground(): React.JSX.Element {
  const { colorMode } = useColorMode();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const models = useShippedModels();
  const { lenet5 } = models;
  const [modelName, setModelName] = useState<ShownModel>("historical");
  const [info, setInfo] = useState<LoadedModel | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const latencies = useRef<number[]>([]);

  /** Classifies the drawing with `name` (once it is loaded) and records the latency. */
  const classify = useCallback(
    (name: ShownModel) => {
      const loaded = models.loaded(name);
      const canvas = canvasRef.current;
      if (!lenet5 || !loaded || !canvas) return;
      const classified = classifyDrawing(lenet5, loaded, canvas, name);
      if (!classified) return;
      latencies.current = [...latencies.current.slice(1 - LATENCIES_KEPT), classified.latencyMs];
      setResult(classified);
    },
    [lenet5, models],
  );

  /** Loads (once) and switches to a model, then classifies the current drawing with it. */
  const switchTo = useCallback(
    async (name: ShownModel) => {
      setModelName(name);
      try {
        const warmupInput = () =>
          lenet5 && canvasRef.current
            ? prepareDrawing(lenet5, canvasRef.current, name)?.input
            : undefined;
        const loaded = await models.load(name, warmupInput);
        if (!loaded) return; // lenet5 not started yet: the start switches to the faithful net
        setInfo(loaded);
        latencies.current = [];
        classify(name);
        models.ready();
      } catch (caught) {
        models.fail(caught);
      }
    },
    [lenet5, models, classify],
  );

  // Once lenet5 has started: the faithful model on the example drawing, so the page has content.
  useEffect(() => {
    if (lenet5) void switchTo("historical");
  }, [lenet5]);

  useBenchmarkHook(models, modelName, result, canvasRef);

  const shown = result && result.model === modelName ? result : null;
  return (
    <div
      className={styles.playground}
      data-state={models.state}
      data-model={modelName}
      data-backend={models.backend}
      data-prediction={shown && !shown.empty ? String(shown.prediction.digit) : ""}
      data-warning={shown?.warning?.kind ?? ""}
      data-latency-ms={shown ? shown.latencyMs.toFixed(3) : ""}
    >
      <Toolbar
        lenet5={lenet5}
        model={modelName}
        onSwitch={(name) => void switchTo(name)}
        state={models.state}
        error={models.error}
        backend={models.backend}
        result={shown}
        latencies={latencies.current}
      />
      <div className={styles.top}>
        <DrawingPad canvasRef={canvasRef} onChange={() => classify(modelName)} />
        <InputView lenet5={lenet5} model={modelName} result={shown} />
        <PredictionPanel
          lenet5={lenet5}
          result={shown}
          ready={models.state === "ready"}
          info={info}
        />
      </div>
      {shown && lenet5 ? (
        <LayerView
          lenet5={lenet5}
          result={shown}
          palette={paletteFor(colorMode)}
          colorMode={colorMode}
        />
      ) : null}
    </div>
  );
}
