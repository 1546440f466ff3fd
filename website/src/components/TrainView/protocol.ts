// The messages between the live training view (main thread) and its Web Worker
// (train.worker.ts). The worker owns the engine and the digits; the page only draws.

/** The nets and optimisers the view offers. */
export type NetName = "historical" | "modern";
export type OptimizerChoice = "sdlm" | "adam";

/** Page → worker. */
export type ToWorker =
  | { type: "load"; manifestUrl: string }
  | { type: "configure"; net: NetName; optimizer: OptimizerChoice }
  | { type: "start" }
  | { type: "pause" }
  | { type: "reset" }
  /** A fresh run of `steps` steps on its own engine (compiled asynchronously): the tests' probe. */
  | { type: "probe"; id: number; net: NetName; optimizer: OptimizerChoice; steps: number };

/** A point of the loss curve: the mean loss of the steps since the last point. */
export interface LossPoint {
  readonly images: number;
  readonly loss: number;
}

/** A point of the accuracy curve, with the running seconds since Start (pauses excluded). */
export interface AccuracyPoint {
  readonly images: number;
  readonly accuracy: number;
  readonly seconds: number;
}

/** What the page shows: sent a few times a second while training, and after every command. */
export interface Snapshot {
  readonly net: NetName;
  readonly optimizer: OptimizerChoice;
  readonly running: boolean;
  readonly imagesSeen: number;
  readonly steps: number;
  readonly epoch: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Training images per second of training-step time since the last reset. */
  readonly imagesPerSec: number;
  /** Running seconds since Start (pauses excluded). */
  readonly seconds: number;
  /** The weights now, flattened in the parameter record's order. */
  readonly params: Float32Array;
  /** SDLM's mean ε_k per layer (null with Adam or before the first estimate). */
  readonly rates: { layer: string; rate: number }[] | null;
  /** Curve points since the previous snapshot (all of them after a reset or configure). */
  readonly losses: LossPoint[];
  readonly accuracies: AccuracyPoint[];
  /** True when the curves restart (reset, configure). */
  readonly fresh: boolean;
}

/** Worker → page. */
export type FromWorker =
  | {
      type: "loaded";
      trainCount: number;
      testCount: number;
      trainSource: string;
      testSource: string;
    }
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "probe"; id: number; losses: number[]; seconds: number }
  | { type: "error"; message: string };
