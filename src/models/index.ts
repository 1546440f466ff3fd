/** The three LeNet-5 nets, their registry, their per-layer summaries and the fidelity ledger. */
export * from "./historical";
export * from "./seed-historical";
export * from "./modern";
export * from "./registry";
export * from "./summary";
export * from "./fidelity";
export * from "./layer-weights";
export * from "./ablation";
