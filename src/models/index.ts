/** The three LeNet-5 nets, their registry and their per-layer summaries. */
export * from "./historical";
export * from "./seed-historical";
export * from "./modern";
export * from "./registry";
export * from "./summary";
