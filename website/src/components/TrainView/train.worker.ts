// The live training view's Web Worker: fetches the digits and initial weights the site serves
// (checking each file's SHA-256 before using it), compiles lenet5's whole-step engine
// asynchronously, and trains in slices of a few tens of milliseconds, yielding between them so
// Pause, Reset and a new net or optimiser take effect at once. It posts a snapshot (weights,
// curves, rates, speed) a few times a second; the page draws, never trains.
//
// One thread: a second engine thread needs SharedArrayBuffer, which browsers give only to
// cross-origin-isolated pages (COOP/COEP headers a static host such as GitHub Pages cannot set).
import {
  Engine,
  LiveSession,
  flatFromParams,
  liveMaxBatch,
  netDigits,
  parseLiveManifest,
  splitDigits,
  type LiveFile,
  type LiveManifest,
  type NetDigits,
  type RawDigits,
} from "lenet5/live";
import type {
  AccuracyPoint,
  FromWorker,
  LossPoint,
  NetName,
  OptimizerChoice,
  ToWorker,
} from "./protocol";

/** Milliseconds of training per slice before the worker looks at its messages again. */
const SLICE_MS = 30;
/** Milliseconds between snapshots to the page. */
const SNAPSHOT_MS = 200;
/** Test accuracy is measured every this many training images (and at the start). */
const EVAL_EVERY = 5000;

interface Loaded {
  manifest: LiveManifest;
  train: RawDigits;
  test: RawDigits;
  inits: Record<NetName, Float32Array>;
}

/** The run the worker holds: one net, one optimiser, its session and its curves so far. */
interface Run {
  net: NetName;
  optimizer: OptimizerChoice;
  session: LiveSession;
  train: NetDigits;
  test: NetDigits;
  running: boolean;
  trainSeconds: number;
  runningSeconds: number;
  nextEval: number;
  pendingLosses: LossPoint[];
  pendingAccuracies: AccuracyPoint[];
  windowLoss: number;
  windowSteps: number;
  fresh: boolean;
}

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

let loaded: Loaded | null = null;
/**
 * The pending load: messages arrive together ("load", then "configure" at once), and handle()
 * runs each as it comes, so what needs the digits waits for it.
 */
let loading: Promise<void> | null = null;
let run: Run | null = null;
let loopActive = false;

/** A macrotask yield that is not clamped like nested setTimeout(0) (4 ms each). */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToMessages = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Fetches a shipped file, checks its SHA-256 and size, and returns it gunzipped. */
async function fetchChecked(base: string, entry: LiveFile): Promise<Uint8Array> {
  const url = new URL(entry.file, base).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  if (!crypto.subtle) throw new Error("this page has no crypto.subtle to check the digits with");
  const sha = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (bytes.byteLength !== entry.bytes || sha !== entry.sha256) {
    throw new Error(`${url}: SHA-256 ${sha} (${bytes.byteLength} bytes) is not the manifest's`);
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function load(manifestUrl: string): Promise<void> {
  const response = await fetch(manifestUrl);
  if (!response.ok) throw new Error(`${manifestUrl}: HTTP ${response.status}`);
  const manifest = parseLiveManifest(await response.json());
  const [trainBytes, testBytes, historical, modern] = await Promise.all([
    fetchChecked(manifestUrl, manifest.digits.train),
    fetchChecked(manifestUrl, manifest.digits.test),
    fetchChecked(manifestUrl, manifest.nets.historical.init),
    fetchChecked(manifestUrl, manifest.nets.modern.init),
  ]);
  const floats = (bytes: Uint8Array) =>
    new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  loaded = {
    manifest,
    train: splitDigits(trainBytes, manifest.digits.train.count),
    test: splitDigits(testBytes, manifest.digits.test.count),
    inits: { historical: floats(historical), modern: floats(modern) },
  };
  post({
    type: "loaded",
    trainCount: manifest.digits.train.count,
    testCount: manifest.digits.test.count,
    trainSource: manifest.digits.train.source,
    testSource: manifest.digits.test.source,
  });
}

/** A session for `net` with `optimizer`, on an engine compiled asynchronously. */
async function newSession(
  data: Loaded,
  net: NetName,
  optimizer: OptimizerChoice,
): Promise<{ session: LiveSession; train: NetDigits; test: NetDigits }> {
  const entry = data.manifest.nets[net];
  const recipe = entry.recipes[optimizer];
  const engine = await Engine.createAsync(net, {
    maxBatch: liveMaxBatch(recipe),
    j: data.manifest.j,
  });
  const train = netDigits(data.train, net);
  const session = new LiveSession({
    engine,
    init: data.inits[net],
    recipe,
    seed: data.manifest.seed,
    train,
  });
  return { session, train, test: netDigits(data.test, net) };
}

async function configure(net: NetName, optimizer: OptimizerChoice): Promise<void> {
  if (loaded === null) throw new Error("configure before load");
  run?.session.engine.dispose();
  const { session, train, test } = await newSession(loaded, net, optimizer);
  run = {
    net,
    optimizer,
    session,
    train,
    test,
    running: false,
    trainSeconds: 0,
    runningSeconds: 0,
    nextEval: 0,
    pendingLosses: [],
    pendingAccuracies: [],
    windowLoss: 0,
    windowSteps: 0,
    fresh: true,
  };
  evaluate(run);
  snapshot(run);
}

function evaluate(r: Run): void {
  const accuracy = r.session.accuracy(r.test);
  r.pendingAccuracies.push({ images: r.session.imagesSeen, accuracy, seconds: r.runningSeconds });
  r.nextEval = r.session.imagesSeen + EVAL_EVERY;
}

function snapshot(r: Run): void {
  if (r.windowSteps > 0) {
    r.pendingLosses.push({ images: r.session.imagesSeen, loss: r.windowLoss / r.windowSteps });
    r.windowLoss = 0;
    r.windowSteps = 0;
  }
  const params = flatFromParams(r.session.engine.getParams());
  post(
    {
      type: "snapshot",
      snapshot: {
        net: r.net,
        optimizer: r.optimizer,
        running: r.running,
        imagesSeen: r.session.imagesSeen,
        steps: r.session.steps,
        epoch: r.session.epoch,
        batchSize: r.session.recipe.batchSize,
        learningRate: r.session.learningRate,
        imagesPerSec: r.trainSeconds > 0 ? r.session.imagesSeen / r.trainSeconds : 0,
        seconds: r.runningSeconds,
        params,
        rates: r.session.layerRates(),
        losses: r.pendingLosses,
        accuracies: r.pendingAccuracies,
        fresh: r.fresh,
      },
    },
    [params.buffer],
  );
  r.pendingLosses = [];
  r.pendingAccuracies = [];
  r.fresh = false;
}

/** Trains in slices while the run is running; one loop at a time. */
async function trainLoop(): Promise<void> {
  if (loopActive) return;
  loopActive = true;
  let lastSnapshot = performance.now();
  try {
    while (run !== null && run.running) {
      const r = run;
      const started = performance.now();
      const slice = r.session.run(Infinity, started + SLICE_MS);
      r.trainSeconds += slice.seconds;
      slice.losses.forEach((loss) => (r.windowLoss += loss));
      r.windowSteps += slice.losses.length;
      if (r.session.imagesSeen >= r.nextEval) evaluate(r);
      r.runningSeconds += (performance.now() - started) / 1000;
      if (performance.now() - lastSnapshot >= SNAPSHOT_MS) {
        snapshot(r);
        lastSnapshot = performance.now();
      }
      const yielded = performance.now();
      await yieldToMessages();
      if (run === r && r.running) r.runningSeconds += (performance.now() - yielded) / 1000;
    }
  } finally {
    loopActive = false;
  }
}

/** The tests' probe: `steps` steps of a fresh run from the initial weights; their losses. */
async function probe(id: number, net: NetName, optimizer: OptimizerChoice, steps: number) {
  if (loaded === null) throw new Error("probe before load");
  const { session } = await newSession(loaded, net, optimizer);
  const started = performance.now();
  const { losses } = session.run(steps);
  post({ type: "probe", id, losses, seconds: (performance.now() - started) / 1000 });
  session.engine.dispose();
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "load":
      loading = load(message.manifestUrl);
      return loading;
    case "configure":
      await loading;
      return configure(message.net, message.optimizer);
    case "start":
      if (run === null) return;
      run.running = true;
      snapshot(run);
      return trainLoop();
    case "pause":
      if (run === null) return;
      run.running = false;
      return snapshot(run);
    case "reset":
      if (run === null) return;
      run.running = false;
      run.session.reset();
      Object.assign(run, {
        trainSeconds: 0,
        runningSeconds: 0,
        pendingLosses: [],
        pendingAccuracies: [],
        windowLoss: 0,
        windowSteps: 0,
        fresh: true,
      });
      evaluate(run);
      return snapshot(run);
    case "probe":
      await loading;
      return probe(message.id, message.net, message.optimizer, message.steps);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((error: unknown) =>
    post({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
};
