// Watch LeNet-5 learn: the faithful net (or the modern twin) trains from the paper's
// initialisation in a Web Worker (train.worker.ts, lenet5's whole-step engine) on digits the
// site serves itself, SDLM by default, Adam as an option. The page draws what the worker sends a
// few times a second: loss and test accuracy against images seen, C1's six 5×5 kernels, the
// drawn digit's maps through every layer and F6 against the RBF prototypes (the playground's own
// DrawingPad and LayerView, fed by the scratch forward pass on the weights of the moment), and
// SDLM's per-layer rates.
//
// For tests the root element carries data-state ("loading" | "ready" | "error"), data-running,
// data-net, data-optimizer, data-images-seen, data-test-accuracy (0–1, the last measured),
// data-images-per-sec, data-seconds and data-prediction; window.lenet5Train.probe(net,
// optimizer, steps) runs a fresh run in the worker and resolves to its losses
// (scripts/test-train-view.mjs).
import React, { useCallback, useEffect, useRef, useState } from "react";
import useBaseUrl from "@docusaurus/useBaseUrl";
import { useColorMode } from "@docusaurus/theme-common";
import {
  historicalForward,
  modernForward,
  netInputOf,
  paramsFromFlat,
  toNetworkInput,
  type Tensor,
} from "lenet5/live";
import DrawingPad from "../Playground/DrawingPad";
import LayerView from "../Playground/LayerView";
import { GrayImage, MapCanvas, RampLegend } from "../Playground/canvases";
import { maxAbs, paletteFor } from "../Playground/paint";
import type { LayerActivation, Lenet5, Result } from "../Playground/types";
import { prepareDrawing, resultOf } from "../Playground/classify";
import LineChart from "./LineChart";
import type {
  AccuracyPoint,
  FromWorker,
  LossPoint,
  NetName,
  OptimizerChoice,
  Snapshot,
  ToWorker,
} from "./protocol";
import styles from "./styles.module.css";
import pgStyles from "../Playground/styles.module.css";

/** Accuracy the chart marks and the page reports the time to. */
const TARGET_ACCURACY = 0.95;

const NET_LABELS: Record<NetName, string> = {
  historical: "LeNet-5 as in the paper",
  modern: "Modern twin",
};
const OPTIMIZER_LABELS: Record<OptimizerChoice, string> = {
  sdlm: "SDLM (the paper's)",
  adam: "Adam",
};

/** Every layer of `net` for one input, as the playground's LayerView takes them. */
function forwardLayers(net: NetName, params: Float32Array, input: Float32Array): LayerActivation[] {
  const side = netInputOf(net).size;
  const x: Tensor = { shape: [1, side, side, 1], data: input };
  const acts =
    net === "historical"
      ? historicalForward(paramsFromFlat("historical", params), x)
      : modernForward(paramsFromFlat("modern", params), x);
  return (["C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT"] as const).map((name) => {
    const t = acts[name];
    return { name, layer: name, shape: t.shape.slice(1), data: Float32Array.from(t.data) };
  });
}

/** The drawing classified by the weights of the moment, as a playground Result. */
function classifyNow(
  lenet5: Lenet5,
  canvas: HTMLCanvasElement,
  net: NetName,
  params: Float32Array,
): Result | null {
  const prepared = prepareDrawing(lenet5, canvas, net);
  if (!prepared) return null;
  const { digit28, warning } = prepared;
  const input = toNetworkInput(digit28, 1, netInputOf(net));
  const start = performance.now();
  const activations = forwardLayers(net, params, input);
  const latencyMs = performance.now() - start;
  return resultOf(lenet5, net, { digit28, input, warning }, activations, latencyMs);
}

/** A fingerprint of the weights: Σw and Σw² (Reset must bring back the same). */
function checksum(params: Float32Array): string {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < params.length; i++) {
    sum += params[i];
    squares += params[i] * params[i];
  }
  return `${sum.toPrecision(12)}/${squares.toPrecision(12)}`;
}

/** The worker, its snapshots and curves, and the commands. */
function useTrainer(manifestUrl: string) {
  const worker = useRef<Worker | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "error">("loading");
  const [error, setError] = useState("");
  const [dataInfo, setDataInfo] = useState("");
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const losses = useRef<LossPoint[]>([]);
  const accuracies = useRef<AccuracyPoint[]>([]);
  const probes = useRef(new Map<number, (r: { losses: number[]; seconds: number }) => void>());

  useEffect(() => {
    const w = new Worker(new URL("./train.worker.ts", import.meta.url));
    worker.current = w;
    w.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === "loaded") {
        setDataInfo(
          `${message.trainCount.toLocaleString("en")} training digits (${message.trainSource}), ` +
            `${message.testCount.toLocaleString("en")} test digits (${message.testSource})`,
        );
      } else if (message.type === "snapshot") {
        const s = message.snapshot;
        if (s.fresh) {
          losses.current = [];
          accuracies.current = [];
        }
        losses.current = [...losses.current, ...s.losses];
        accuracies.current = [...accuracies.current, ...s.accuracies];
        setSnapshot(s);
        setState("ready");
      } else if (message.type === "probe") {
        probes.current.get(message.id)?.(message);
        probes.current.delete(message.id);
      } else {
        setError(message.message);
        setState("error");
      }
    };
    w.onerror = (event) => {
      setError(event.message || "the training worker failed to start");
      setState("error");
    };
    const send = (m: ToWorker) => w.postMessage(m);
    send({ type: "load", manifestUrl });
    send({ type: "configure", net: "historical", optimizer: "sdlm" });
    let nextId = 1;
    const hook = {
      probe: (net: NetName, optimizer: OptimizerChoice, steps: number) =>
        new Promise<{ losses: number[]; seconds: number }>((resolve) => {
          const id = nextId++;
          probes.current.set(id, resolve);
          send({ type: "probe", id, net, optimizer, steps });
        }),
    };
    (window as unknown as { lenet5Train?: typeof hook }).lenet5Train = hook;
    return () => {
      w.terminate();
      delete (window as unknown as { lenet5Train?: typeof hook }).lenet5Train;
    };
  }, [manifestUrl]);

  const send = useCallback((m: ToWorker) => worker.current?.postMessage(m), []);
  return { state, error, dataInfo, snapshot, losses, accuracies, send };
}

/** The whole training view. */
export default function TrainView(): React.JSX.Element {
  const { colorMode } = useColorMode();
  const palette = paletteFor(colorMode);
  const manifestUrl = new URL(useBaseUrl("/generated/train/manifest.json"), window.location.href)
    .href;
  const trainer = useTrainer(manifestUrl);
  const { snapshot } = trainer;
  const [lenet5, setLenet5] = useState<Lenet5 | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  // The playground's helpers (MNIST preparation of the drawing, predictionFrom, the paper's
  // constants) come from lenet5's browser entry; no tfjs backend is started.
  useEffect(() => {
    let cancelled = false;
    import("lenet5/browser").then(
      (entry) => !cancelled && setLenet5(entry),
      (e) => console.warn(e),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const classify = useCallback(() => {
    if (!lenet5 || !snapshot || !canvasRef.current) return;
    setResult(classifyNow(lenet5, canvasRef.current, snapshot.net, snapshot.params));
  }, [lenet5, snapshot]);
  useEffect(classify, [classify]);

  const last = trainer.accuracies.current[trainer.accuracies.current.length - 1];
  const reached = trainer.accuracies.current.find((p) => p.accuracy >= TARGET_ACCURACY);
  const ready = trainer.state === "ready" && snapshot !== null;
  const running = snapshot?.running ?? false;
  const configure = (net: NetName, optimizer: OptimizerChoice) =>
    trainer.send({ type: "configure", net, optimizer });
  const shown = result && snapshot && result.model === snapshot.net ? result : null;
  const weightsSum = snapshot ? checksum(snapshot.params) : "";

  return (
    <div
      className={`${styles.trainView} ${pgStyles.playground}`}
      data-state={trainer.state}
      data-running={String(running)}
      data-net={snapshot?.net ?? ""}
      data-optimizer={snapshot?.optimizer ?? ""}
      data-images-seen={snapshot?.imagesSeen ?? 0}
      data-test-accuracy={last ? last.accuracy : ""}
      data-images-per-sec={snapshot ? snapshot.imagesPerSec.toFixed(0) : ""}
      data-seconds={snapshot ? snapshot.seconds.toFixed(2) : ""}
      data-seconds-to-target={reached ? reached.seconds.toFixed(2) : ""}
      data-weights-sum={weightsSum}
      data-prediction={shown && !shown.empty ? String(shown.prediction.digit) : ""}
    >
      <div className={styles.controls}>
        <span className={styles.segmented} role="group" aria-label="network">
          {(["historical", "modern"] as const).map((net) => (
            <button
              key={net}
              type="button"
              className={`button button--sm ${snapshot?.net === net ? "button--primary" : "button--secondary"}`}
              disabled={!ready}
              onClick={() => configure(net, snapshot?.optimizer ?? "sdlm")}
              data-net-choice={net}
            >
              {NET_LABELS[net]}
            </button>
          ))}
        </span>
        <span className={styles.segmented} role="group" aria-label="optimiser">
          {(["sdlm", "adam"] as const).map((optimizer) => (
            <button
              key={optimizer}
              type="button"
              className={`button button--sm ${snapshot?.optimizer === optimizer ? "button--primary" : "button--secondary"}`}
              disabled={!ready}
              onClick={() => configure(snapshot?.net ?? "historical", optimizer)}
              data-optimizer-choice={optimizer}
            >
              {OPTIMIZER_LABELS[optimizer]}
            </button>
          ))}
        </span>
        <span>
          <button
            type="button"
            className="button button--success margin-right--sm"
            disabled={!ready || running}
            onClick={() => trainer.send({ type: "start" })}
            data-action="start"
          >
            Start
          </button>
          <button
            type="button"
            className="button button--warning margin-right--sm"
            disabled={!ready || !running}
            onClick={() => trainer.send({ type: "pause" })}
            data-action="pause"
          >
            Pause
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={!ready}
            onClick={() => trainer.send({ type: "reset" })}
            data-action="reset"
          >
            Reset
          </button>
        </span>
      </div>
      {trainer.state === "loading" && <p>Fetching the digits and compiling the engine…</p>}
      {trainer.state === "error" && (
        <p className={styles.error}>Training stopped: {trainer.error}</p>
      )}
      {snapshot && (
        <p className={styles.stats} aria-live="off">
          <span>
            images seen <b>{snapshot.imagesSeen.toLocaleString("en")}</b>
          </span>
          <span>
            test accuracy <b>{last ? `${(100 * last.accuracy).toFixed(2)}%` : "–"}</b>
          </span>
          <span>
            <b>
              {snapshot.imagesPerSec > 0
                ? Math.round(snapshot.imagesPerSec).toLocaleString("en")
                : "–"}
            </b>{" "}
            images/s
          </span>
          <span>
            pass <b>{snapshot.epoch}</b>, batch <b>{snapshot.batchSize}</b>, η{" "}
            <b>{snapshot.learningRate}</b>
          </span>
          <span>
            <b>{snapshot.seconds.toFixed(1)}</b> s running
            {reached
              ? `, ${(100 * TARGET_ACCURACY).toFixed(0)}% after ${reached.seconds.toFixed(1)} s`
              : ""}
          </span>
        </p>
      )}
      {trainer.dataInfo && (
        <p className={styles.note}>
          On {trainer.dataInfo}, fetched from this site and checked against their SHA-256.
        </p>
      )}
      <div className={styles.charts}>
        <section className={styles.panel}>
          <h3>Training loss</h3>
          <LineChart
            testId="loss"
            points={trainer.losses.current.map((p) => ({ x: p.images, y: p.loss }))}
            xLabel="images seen"
            yLabel={snapshot?.net === "modern" ? "cross-entropy" : "loss (eq. 9)"}
          />
        </section>
        <section className={styles.panel}>
          <h3>Test accuracy</h3>
          <LineChart
            testId="accuracy"
            points={trainer.accuracies.current.map((p) => ({ x: p.images, y: p.accuracy }))}
            xLabel="images seen"
            yLabel="accuracy"
            yDomain={[0, 1]}
            formatY={(v) => `${Math.round(100 * v)}%`}
            marker={{ y: TARGET_ACCURACY, label: `${100 * TARGET_ACCURACY}%` }}
          />
        </section>
        {snapshot && <Kernels snapshot={snapshot} palette={palette} />}
        {snapshot && <Rates snapshot={snapshot} />}
      </div>
      <div className={styles.top}>
        <DrawingPad canvasRef={canvasRef} onChange={classify} />
        <div>
          <p className={styles.note}>The model in training reads your drawing:</p>
          <div className={styles.answer} data-answer>
            {shown ? (shown.empty ? "–" : shown.prediction.digit) : "…"}
          </div>
          {shown && (
            <GrayImage
              data={shown.input}
              width={shown.inputSize}
              height={shown.inputSize}
              low={-1}
              high={1.5}
              size={112}
              label="its input"
            />
          )}
        </div>
      </div>
      {shown && lenet5 ? (
        <LayerView lenet5={lenet5} result={shown} palette={palette} colorMode={colorMode} />
      ) : null}
    </div>
  );
}

/** C1's six 5×5 kernels as heatmaps on one scale. */
function Kernels(props: {
  snapshot: Snapshot;
  palette: ReturnType<typeof paletteFor>;
}): React.JSX.Element {
  const kernel = props.snapshot.params.subarray(0, 5 * 5 * 6); // [5, 5, 1, 6]: C1 comes first
  const activation: LayerActivation = {
    name: "C1 kernel",
    layer: "C1",
    shape: [5, 5, 6],
    data: kernel,
  };
  const limit = Math.max(maxAbs(kernel), 1e-6);
  return (
    <section className={styles.panel} data-kernels>
      <h3>
        C1's six 5×5 kernels <RampLegend limit={limit} palette={props.palette} />
      </h3>
      <div className={styles.kernels}>
        {Array.from({ length: 6 }, (_, k) => (
          <MapCanvas
            key={k}
            activation={activation}
            channel={k}
            limit={limit}
            palette={props.palette}
            size={60}
          />
        ))}
      </div>
    </section>
  );
}

/** SDLM's mean per-weight rate ε_k = η / (μ + h_kk) in each layer. */
function Rates(props: { snapshot: Snapshot }): React.JSX.Element {
  const { rates, optimizer } = props.snapshot;
  return (
    <section className={styles.panel} data-rates>
      <h3>SDLM's step sizes per layer</h3>
      {rates === null ? (
        <p className={styles.note}>
          {optimizer === "sdlm"
            ? "The first Hessian estimate comes with the first step."
            : "Adam has no per-layer SDLM rates: switch to SDLM to see them."}
        </p>
      ) : (
        <>
          <p className={styles.note}>
            Mean of ε_k = η / (μ + h_kk) over each layer's weights; h_kk is re-estimated on training
            digits before each pass.
          </p>
          <table className={styles.rates}>
            <tbody>
              {rates.map(({ layer, rate }) => (
                <tr key={layer}>
                  <th>{layer.toUpperCase()}</th>
                  <td>{rate.toExponential(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
