/**
 * The benchmark: lenet5's models' training and inference speed on the active tfjs backend, with
 * PyTorch's modern LeNet-5 measured alongside where Debian's python3 imports it. The `lenet5
 * bench` command's option parsing lives in src/cli/bench.ts. Not part of the root export: it is
 * the subpath `lenet5/bench` (package.json `exports`, and `typesVersions` for TypeScript's node10
 * resolution, as tslab uses).
 * @example
 * ```ts
 * import { runBenchmark } from "lenet5/bench";
 * ```
 */
export * from "./bench";
