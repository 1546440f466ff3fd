// The interactive LeNet-5: draw a digit; the shipped model runs in the browser (tfjs, wasm) on
// every stroke and shows what each layer computes — C1 … C5 feature maps, F6 as a 7×12 image
// beside the paper's ten RBF prototypes with their distances (Section II-B, eq. 7), and the
// prediction. A switch swaps in the modern LeNet-5 (ReLU, max pooling, softmax), with its own
// layers. The drawing goes through lenet5's own MNIST preparation (imageToMnist: bounding box
// into 20×20, centre of mass at (14, 14)) and input normalisation, as in training.
//
// For tests and the benchmark the root element carries data-state ("loading" | "ready" |
// "error"), data-model, data-backend, data-prediction (a digit, or "" for an empty canvas) and
// data-latency-ms (the last forward pass with readback, performance.now); window.lenet5Playground
// offers benchmark(repeats) on the current drawing (scripts/bench-site.mjs uses it).
import React, { useCallback, useEffect, useRef, useState } from "react";
import clsx from "clsx";
import useBaseUrl from "@docusaurus/useBaseUrl";
import { useColorMode } from "@docusaurus/theme-common";
import { EXAMPLE_DIGITS, type Stroke } from "./strokes";
import { maxAbs, paintChannel, paintGray, paletteFor, type DivergingPalette } from "./paint";
import styles from "./styles.module.css";

type Lenet5 = typeof import("lenet5/browser");
type ModelName = "historical" | "modern";
type LayerActivation = ReturnType<ReturnType<Lenet5["activationProbe"]>["run"]>[number];

interface Loaded {
  readonly probe: ReturnType<Lenet5["activationProbe"]>;
  readonly epoch: number;
  readonly testAccuracy: number | null;
}

interface Result {
  readonly model: ModelName;
  readonly empty: boolean;
  readonly digit28: Uint8Array;
  readonly input: Float32Array;
  readonly inputSize: number;
  readonly activations: readonly LayerActivation[];
  readonly prediction: ReturnType<Lenet5["predictionFrom"]>;
  readonly latencyMs: number;
}

const CANVAS_SIDE = 280;
const BRUSH = 20;
const MODEL_LABEL: Record<ModelName, string> = {
  historical: "LeNet-5 (1998, faithful)",
  modern: "Modern LeNet-5",
};

declare global {
  interface Window {
    lenet5Playground?: {
      /** Forward + readback times (ms) on the current drawing, and the canvas → input times. */
      benchmark(repeats?: number): {
        times: number[];
        prepareTimes: number[];
        backend: string;
        model: string;
      };
    };
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Canvas pixel under a pointer event (the canvas is CSS-scaled on narrow screens). */
function canvasPoint(canvas: HTMLCanvasElement, event: React.PointerEvent): [number, number] {
  const box = canvas.getBoundingClientRect();
  return [
    ((event.clientX - box.left) * canvas.width) / box.width,
    ((event.clientY - box.top) * canvas.height) / box.height,
  ];
}

function clearCanvas(canvas: HTMLCanvasElement): void {
  const context = canvas.getContext("2d");
  if (!context) return;
  context.fillStyle = "#000";
  context.fillRect(0, 0, canvas.width, canvas.height);
}

function brush(context: CanvasRenderingContext2D): void {
  context.strokeStyle = "#fff";
  context.lineWidth = BRUSH;
  context.lineCap = "round";
  context.lineJoin = "round";
}

function drawStrokes(canvas: HTMLCanvasElement, strokes: readonly Stroke[]): void {
  const context = canvas.getContext("2d");
  if (!context) return;
  brush(context);
  for (const stroke of strokes) {
    context.beginPath();
    stroke.forEach(([x, y], i) => {
      const px = x * canvas.width;
      const py = y * canvas.height;
      if (i === 0) context.moveTo(px, py);
      else context.lineTo(px, py);
    });
    context.stroke();
  }
}

/** A small pixelated canvas showing a gray image. */
function GrayImage(props: {
  data: ArrayLike<number>;
  width: number;
  height: number;
  low: number;
  high: number;
  size: number;
  label: string;
}): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const { data, width, height, low, high } = props;
  useEffect(() => {
    if (ref.current) paintGray(ref.current, data, width, height, low, high);
  }, [data, width, height, low, high]);
  return (
    <figure className={styles.thumb}>
      <canvas
        ref={ref}
        className={styles.pixelated}
        style={{ width: props.size, height: (props.size * height) / width }}
        aria-label={props.label}
      />
      <figcaption>{props.label}</figcaption>
    </figure>
  );
}

/** One channel of an activation as a heatmap. */
function MapCanvas(props: {
  activation: LayerActivation;
  channel: number;
  limit: number;
  palette: DivergingPalette;
  size: number;
  /** Draw the whole vector as a width×height picture instead of one channel. */
  asImage?: { width: number; height: number };
}): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const { activation, channel, limit, palette, asImage } = props;
  const [h, w, c] = asImage
    ? [asImage.height, asImage.width, 1]
    : [activation.shape[0], activation.shape[1], activation.shape[2]];
  useEffect(() => {
    if (ref.current) paintChannel(ref.current, activation.data, h, w, c, channel, limit, palette);
  }, [activation, channel, limit, palette, h, w, c]);
  return (
    <canvas
      ref={ref}
      className={styles.pixelated}
      style={{ width: props.size, height: (props.size * h) / w }}
      role="img"
      aria-label={asImage ? activation.name : `${activation.name} map ${channel}`}
    />
  );
}

/** Colour legend of the diverging ramp. */
function RampLegend(props: { limit: number; palette: DivergingPalette }): React.JSX.Element {
  const { negative, zero, positive } = props.palette;
  const css = (rgb: readonly number[]) => `rgb(${rgb.join(",")})`;
  return (
    <span className={styles.legend}>
      <span>−{props.limit.toFixed(2)}</span>
      <span
        className={styles.legendBar}
        style={{
          background: `linear-gradient(to right, ${css(negative)}, ${css(zero)}, ${css(positive)})`,
        }}
      />
      <span>+{props.limit.toFixed(2)}</span>
    </span>
  );
}

const LAYER_NOTES: Record<ModelName, Record<string, string>> = {
  historical: {
    C1: "6 convolutions 5×5 of the 32×32 input, then f(a) = 1.7159·tanh(2a/3)",
    S2: "2×2 sums × a trainable coefficient + bias, squashed",
    C3: "16 maps, each from the subset of S2 maps in Table I",
    S4: "2×2 subsampling again",
    C5: "120 convolutions 5×5 over all of S4: one value each",
    F6: "84 units, read as a 7×12 picture",
  },
  modern: {
    C1: "6 convolutions 5×5 ('same' padding) + batch norm + ReLU",
    S2: "2×2 max pooling",
    C3: "16 convolutions 5×5 over all 6 maps + batch norm + ReLU",
    S4: "2×2 max pooling",
    C5: "120 units (5×5 convolution) + ReLU",
    F6: "84 units + ReLU, shown as 7×12 like the paper's F6",
  },
};

/** Every map of one convolution or subsampling layer. */
function LayerMaps(props: {
  activation: LayerActivation;
  palette: DivergingPalette;
  limit: number;
  note: string;
}): React.JSX.Element {
  const { activation, palette, limit } = props;
  const [h, w, c] = activation.shape;
  const size = h >= 28 ? 84 : h >= 14 ? 70 : h >= 10 ? 56 : 44;
  return (
    <section className={styles.layer} data-layer={activation.name}>
      <h3 className={styles.layerTitle}>
        {activation.name}{" "}
        <span className={styles.shape}>
          {c}@{h}×{w} · [{activation.shape.join(", ")}]
        </span>
        <RampLegend limit={limit} palette={palette} />
      </h3>
      <p className={styles.note}>{props.note}</p>
      <div className={styles.maps}>
        {Array.from({ length: c }, (_, channel) => (
          <figure key={channel} className={styles.thumb}>
            <MapCanvas
              activation={activation}
              channel={channel}
              limit={limit}
              palette={palette}
              size={size}
            />
            <figcaption>{channel}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

/** C5's 120 values as a 12×10 grid of cells. */
function VectorGrid(props: {
  activation: LayerActivation;
  palette: DivergingPalette;
  limit: number;
  note: string;
  columns: number;
}): React.JSX.Element {
  const { activation, columns } = props;
  const length = activation.data.length;
  const rows = Math.ceil(length / columns);
  return (
    <section className={styles.layer} data-layer={activation.name}>
      <h3 className={styles.layerTitle}>
        {activation.name}{" "}
        <span className={styles.shape}>
          {length} units · [{activation.shape.join(", ")}] shown as {rows}×{columns}
        </span>
        <RampLegend limit={props.limit} palette={props.palette} />
      </h3>
      <p className={styles.note}>{props.note}</p>
      <MapCanvas
        activation={activation}
        channel={0}
        limit={props.limit}
        palette={props.palette}
        size={columns * 12}
        asImage={{ width: columns, height: rows }}
      />
    </section>
  );
}

/** Ten bars, one per digit: the prediction's scores. */
function Scores(props: { result: Result; kind: "rbf" | "logits" }): React.JSX.Element {
  const { prediction } = props.result;
  return (
    <ol className={styles.scores} start={0} aria-label="scores per digit">
      {prediction.scores.map((score, digit) => (
        <li
          key={digit}
          className={clsx(styles.scoreRow, digit === prediction.digit && styles.best)}
        >
          <span className={styles.scoreDigit}>{digit}</span>
          <span className={styles.scoreTrack}>
            <span className={styles.scoreBar} style={{ width: `${(100 * score).toFixed(1)}%` }} />
          </span>
          <span className={styles.scoreValue}>
            {(100 * score).toFixed(1)}%
            <span className={styles.raw}>
              {props.kind === "rbf" ? "y = " : "z = "}
              {prediction.outputs[digit].toFixed(1)}
            </span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/**
 * F6 as a 7×12 gray picture beside the ten prototypes (historical), on the bitmaps' own scale
 * (−1 black, +1 white) so the match can be seen; the modern net's F6 alone (0 … its largest).
 */
function OutputPanel(props: { lenet5: Lenet5; result: Result }): React.JSX.Element {
  const { lenet5, result } = props;
  const f6 = result.activations.find((a) => a.name === "F6");
  const width = lenet5.RBF_BITMAP_WIDTH;
  const height = lenet5.RBF_BITMAP_HEIGHT;
  const [prototypes] = useState(() => lenet5.rbfPrototypes());
  if (!f6) return <></>;
  const isRbf = result.model === "historical";
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
      <p className={styles.note}>
        {isRbf
          ? "Each output unit is the squared distance y_i = Σ_j (F6_j − w_ij)² from F6 to a fixed ±1 bitmap w_i (eq. 7); the prediction is the closest bitmap. F6 is drawn on the bitmaps' scale: −1 black, +1 white."
          : "The modern net has no prototypes: OUTPUT is a linear layer of 10 logits, turned into probabilities by softmax. F6 is drawn from 0 (black) to its largest value (white)."}
      </p>
      <div className={styles.rbfRow}>
        <div className={styles.f6}>
          <GrayImage
            data={f6.data}
            width={width}
            height={height}
            low={isRbf ? -1 : 0}
            high={isRbf ? 1 : Math.max(maxAbs(f6.data), 1e-6)}
            size={56}
            label="F6"
          />
        </div>
        {isRbf ? (
          <div className={styles.prototypes}>
            {Array.from({ length: 10 }, (_, digit) => {
              const closest = digit === result.prediction.digit;
              return (
                <figure
                  key={digit}
                  className={clsx(styles.thumb, styles.prototype, closest && styles.closest)}
                  data-digit={digit}
                >
                  <GrayImage
                    data={prototypes.subarray(digit * 84, (digit + 1) * 84)}
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
              );
            })}
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** The whole playground. */
export default function Playground(): React.JSX.Element {
  const weightsBase = useBaseUrl("/generated/weights/");
  const wasmPath = useBaseUrl("/generated/tfjs-wasm/");
  const { colorMode } = useColorMode();
  const palette = paletteFor(colorMode);

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const lenet5Ref = useRef<Lenet5 | null>(null);
  const loadedRef = useRef(new Map<ModelName, Loaded>());
  const drawingRef = useRef<{ id: number; last: [number, number] } | null>(null);
  const frameRef = useRef(0);
  const latenciesRef = useRef<number[]>([]);
  const exampleRef = useRef(3);

  const [modelName, setModelName] = useState<ModelName>("historical");
  const [state, setState] = useState<"loading" | "ready" | "error">("loading");
  const [error, setError] = useState("");
  const [backend, setBackend] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [info, setInfo] = useState<Loaded | null>(null);

  /** The drawing in MNIST's form and as `name`'s input (lenet5's own preparation). */
  const prepare = useCallback((name: ModelName) => {
    const lenet5 = lenet5Ref.current;
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d", { willReadFrequently: true });
    if (!lenet5 || !canvas || !context) return null;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const gray = new Float32Array(canvas.width * canvas.height);
    for (let i = 0; i < gray.length; i++) gray[i] = pixels[4 * i] / 255;
    const digit28 = lenet5.imageToMnist(gray, canvas.width, canvas.height, {
      polarity: "light-on-dark",
    });
    return { digit28, input: lenet5.digitToInput(digit28, lenet5.MODEL_SPECS[name]) };
  }, []);

  /** Reads the canvas, prepares it like MNIST, runs the probe, records the latency. */
  const classify = useCallback(
    (name: ModelName) => {
      const lenet5 = lenet5Ref.current;
      const loaded = loadedRef.current.get(name);
      const prepared = prepare(name);
      if (!lenet5 || !loaded || !prepared) return;
      const { digit28, input } = prepared;
      const spec = lenet5.MODEL_SPECS[name];
      const start = performance.now();
      const activations = loaded.probe.run(input);
      const latencyMs = performance.now() - start;
      latenciesRef.current = [...latenciesRef.current.slice(-49), latencyMs];
      const output = activations[activations.length - 1];
      setResult({
        model: name,
        empty: digit28.every((v) => v === 0),
        digit28,
        input,
        inputSize: spec.inputSize,
        activations,
        prediction: lenet5.predictionFrom(output.data, spec.output),
        latencyMs,
      });
    },
    [prepare],
  );

  const schedule = useCallback(() => {
    if (frameRef.current) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = 0;
      classify(modelName);
    });
  }, [classify, modelName]);

  /** Loads (once) and switches to a model, then classifies the current drawing with it. */
  const switchTo = useCallback(
    async (name: ModelName) => {
      setModelName(name);
      const lenet5 = lenet5Ref.current;
      if (!lenet5) return;
      try {
        let loaded = loadedRef.current.get(name);
        if (!loaded) {
          setState("loading");
          const { model, checkpoint } = await lenet5.fetchShippedModel(
            `${weightsBase}${name}/`,
            name,
          );
          const last = checkpoint.history[checkpoint.history.length - 1];
          const probe = lenet5.activationProbe(model);
          // Warm up (kernel setup, first allocations) on the current drawing, so the latency
          // shown is the steady one.
          const input = prepare(name)?.input ?? new Float32Array(probe.inputSize * probe.inputSize);
          for (let i = 0; i < 10; i++) probe.run(input);
          loaded = {
            probe,
            epoch: checkpoint.epoch,
            testAccuracy: last?.testAccuracy ?? null,
          };
          loadedRef.current.set(name, loaded);
        }
        setInfo(loaded);
        latenciesRef.current = [];
        classify(name);
        setState("ready");
      } catch (caught) {
        setError((caught as Error).message);
        setState("error");
      }
    },
    [classify, prepare, weightsBase],
  );

  // Start tfjs, load the faithful model and draw an example so the page opens with content.
  useEffect(() => {
    let cancelled = false;
    const canvas = canvasRef.current;
    if (canvas) {
      clearCanvas(canvas);
      drawStrokes(canvas, EXAMPLE_DIGITS[exampleRef.current]);
    }
    (async () => {
      try {
        const lenet5 = await import("lenet5/browser");
        const name = await lenet5.initBrowserBackend({ wasmPath });
        if (cancelled) return;
        lenet5Ref.current = lenet5;
        setBackend(name);
        await switchTo("historical");
      } catch (caught) {
        setError((caught as Error).message);
        setState("error");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []); // once: later renders reach the same switchTo through loadedRef

  // The benchmark hook: times forward + readback on the current drawing.
  useEffect(() => {
    window.lenet5Playground = {
      benchmark(repeats = 200) {
        const lenet5 = lenet5Ref.current;
        const loaded = loadedRef.current.get(modelName);
        if (!lenet5 || !loaded || !result) throw new Error("playground not ready");
        const options = { repeats, warmup: 20 };
        const times = lenet5.timeForward(() => loaded.probe.run(result.input), options);
        const prepareTimes = lenet5.timeForward(() => prepare(modelName), options);
        return { times, prepareTimes, backend, model: modelName };
      },
    };
    return () => {
      delete window.lenet5Playground;
    };
  }, [modelName, result, backend, prepare]);

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    canvas.setPointerCapture(event.pointerId);
    const point = canvasPoint(canvas, event);
    drawingRef.current = { id: event.pointerId, last: point };
    const context = canvas.getContext("2d");
    if (!context) return;
    brush(context);
    context.beginPath();
    context.moveTo(...point);
    context.lineTo(...point); // a dot for a click without movement
    context.stroke();
    schedule();
  };

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const canvas = canvasRef.current;
    const drawing = drawingRef.current;
    if (!canvas || !drawing || drawing.id !== event.pointerId) return;
    const context = canvas.getContext("2d");
    if (!context) return;
    const point = canvasPoint(canvas, event);
    brush(context);
    context.beginPath();
    context.moveTo(...drawing.last);
    context.lineTo(...point);
    context.stroke();
    drawing.last = point;
    schedule();
  };

  const onPointerUp = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (drawingRef.current?.id !== event.pointerId) return;
    drawingRef.current = null;
    classify(modelName);
  };

  const onClear = () => {
    if (canvasRef.current) clearCanvas(canvasRef.current);
    classify(modelName);
  };

  const onExample = () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    exampleRef.current = (exampleRef.current + 1) % 10;
    clearCanvas(canvas);
    drawStrokes(canvas, EXAMPLE_DIGITS[exampleRef.current]);
    classify(modelName);
  };

  const lenet5 = lenet5Ref.current;
  const shown = result && result.model === modelName ? result : null;
  const spec = lenet5?.MODEL_SPECS[modelName];
  const latencies = latenciesRef.current;
  const conv = shown?.activations.filter((a) => a.shape.length === 3 && a.shape[0] > 1) ?? [];
  const c5 = shown?.activations.find((a) => a.name === "C5");
  const layerLimit = (activation: LayerActivation) =>
    modelName === "historical" && lenet5
      ? lenet5.SCALED_TANH_A
      : Math.max(maxAbs(activation.data), 1e-6);

  return (
    <div
      className={styles.playground}
      data-state={state}
      data-model={modelName}
      data-backend={backend}
      data-prediction={shown && !shown.empty ? String(shown.prediction.digit) : ""}
      data-latency-ms={shown ? shown.latencyMs.toFixed(3) : ""}
    >
      <div className={styles.toolbar}>
        <div className={styles.segmented} role="radiogroup" aria-label="model">
          {(["historical", "modern"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="radio"
              aria-checked={modelName === name}
              className={clsx(
                "button",
                modelName === name ? "button--primary" : "button--secondary",
              )}
              onClick={() => void switchTo(name)}
              data-model-button={name}
            >
              {MODEL_LABEL[name]}
            </button>
          ))}
        </div>
        <span className={styles.status} aria-live="polite">
          {state === "loading" && "Loading the model…"}
          {state === "error" && <span className={styles.error}>Could not start: {error}</span>}
          {state === "ready" && shown && (
            <>
              {backend} backend · forward + readback{" "}
              <strong data-latency>{shown.latencyMs.toFixed(2)} ms</strong>
              {latencies.length > 1 && (
                <>
                  {" "}
                  (median of last {latencies.length}: {median(latencies).toFixed(2)} ms)
                </>
              )}
            </>
          )}
        </span>
      </div>

      <div className={styles.top}>
        <div className={styles.drawColumn}>
          <canvas
            ref={canvasRef}
            className={styles.drawing}
            width={CANVAS_SIDE}
            height={CANVAS_SIDE}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            aria-label="drawing area: draw one digit"
            data-drawing
          />
          <div className={styles.drawButtons}>
            <button type="button" className="button button--secondary" onClick={onClear} data-clear>
              Clear
            </button>
            <button type="button" className="button button--secondary" onClick={onExample}>
              Example
            </button>
          </div>
          <p className={styles.hint}>Draw one digit, large, with the mouse, a finger or a pen.</p>
        </div>

        <div className={styles.inputColumn}>
          <h3 className={styles.layerTitle}>What the network sees</h3>
          {shown && lenet5 && spec ? (
            <div className={styles.inputs}>
              <GrayImage
                data={shown.digit28}
                width={28}
                height={28}
                low={0}
                high={255}
                size={112}
                label="MNIST form 28×28"
              />
              <GrayImage
                data={shown.input}
                width={shown.inputSize}
                height={shown.inputSize}
                low={
                  spec.normalisation === "paper"
                    ? lenet5.INPUT_BACKGROUND
                    : -lenet5.MNIST_MEAN / lenet5.MNIST_STD
                }
                high={
                  spec.normalisation === "paper"
                    ? lenet5.INPUT_FOREGROUND
                    : (1 - lenet5.MNIST_MEAN) / lenet5.MNIST_STD
                }
                size={(112 * shown.inputSize) / 28}
                label={`input ${shown.inputSize}×${shown.inputSize}`}
              />
            </div>
          ) : null}
          <p className={styles.note}>
            {modelName === "historical"
              ? "Bounding box scaled into 20×20, centred by mass in 28×28 (as MNIST was made), then placed in the paper's 32×32 field with background −0.1 and ink 1.175."
              : "Bounding box scaled into 20×20, centred by mass in 28×28, standardised with MNIST's mean 0.1307 and std 0.3081."}
          </p>
        </div>

        <div className={styles.predictionColumn}>
          <h3 className={styles.layerTitle}>Prediction</h3>
          {shown && !shown.empty ? (
            <>
              <div className={styles.bigDigit} data-predicted-digit>
                {shown.prediction.digit}
              </div>
              <Scores result={shown} kind={spec?.output ?? "rbf"} />
            </>
          ) : (
            <p className={styles.note}>{state === "ready" ? "Draw a digit." : ""}</p>
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
      </div>

      {shown && lenet5 ? (
        <>
          <h2 className={styles.sectionTitle}>Inside {MODEL_LABEL[modelName]}</h2>
          <p className={styles.note}>
            Every feature map of every layer for the digit above, recomputed as you draw. Colour:
            blue negative, {colorMode === "dark" ? "dark" : "white"} zero, red positive.
          </p>
          {modelName === "modern" && (
            <p className={styles.note}>
              ReLU layers have no fixed range: each layer's colours span its own largest value.
            </p>
          )}
          {conv.map((activation) => (
            <LayerMaps
              key={activation.name}
              activation={activation}
              palette={palette}
              limit={layerLimit(activation)}
              note={LAYER_NOTES[modelName][activation.name] ?? ""}
            />
          ))}
          {c5 && (
            <VectorGrid
              activation={c5}
              palette={palette}
              limit={layerLimit(c5)}
              note={LAYER_NOTES[modelName].C5}
              columns={12}
            />
          )}
          <OutputPanel lenet5={lenet5} result={shown} />
        </>
      ) : null}
    </div>
  );
}
