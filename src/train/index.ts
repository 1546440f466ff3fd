/**
 * Training and evaluation: the loop (train), optimisers (SGD, momentum, Adam, the paper's SDLM
 * with its diagonal Gauss–Newton Hessian, in tfjs and from scratch), learning-rate schedules,
 * checkpoints, evaluation and prediction. No CLI concerns here.
 */
export * from "./optimizer-base";
export * from "./optimizers";
export * from "./sdlm";
export * from "./schedules";
export * from "./hessian";
export * from "./data";
export * from "./evaluate";
export * from "./train";
export * from "./guards";
export * from "./pretrained";
export * from "./engine-steps";
