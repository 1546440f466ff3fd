/**
 * The from-scratch layer math of lenet5 in one import: plain TypeScript on {@link Tensor}
 * (NHWC), every op's forward beside its backward and second-derivative pass, each whole network
 * written once (historical.ts, modern.ts), and the gradient checker that tests them.
 * Paper references are in each module's header.
 */
export * from "./tensor";
export * from "./conv2d";
export * from "./sparse-conv2d";
export * from "./subsampling";
export * from "./scaled-tanh";
export * from "./dense";
export * from "./rbf";
export * from "./rbf-loss";
export * from "./softmax-cross-entropy";
export * from "./relu";
export * from "./max-pool";
export * from "./avg-pool";
export * from "./gradcheck";
export * from "./historical";
export * from "./modern";
export * from "./optimizers";
