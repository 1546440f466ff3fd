/**
 * The benchmark: lenet5's models' training and inference speed on the active tfjs backend, with
 * PyTorch's modern LeNet-5 measured alongside where Debian's python3 imports it. The `lenet5
 * bench` command's option parsing lives in src/cli/bench.ts.
 */
export * from "./bench";
