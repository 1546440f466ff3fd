/**
 * Looking inside a model: every paper layer's activations from one pass, a digit → the model's
 * input, its outputs → a prediction with scores, and timing a forward pass. No Node module is
 * reached from here: the browser entry (../browser.ts) re-exports it.
 */
export * from "./activation-probe";
export * from "./prediction";
export * from "./time-forward";
export * from "./layer-spread";
