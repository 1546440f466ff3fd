// AssemblyScript entry of lenet5's whole-step engine: what the compiled module exports.
// `npm run build:simd` compiles it to ./engine-wasm.ts (see ops.as.ts for what it computes).
export {
  historicalAddGradients,
  historicalGradients,
  historicalHessian,
  historicalPredict,
  historicalSquareParams,
  PARAMS as historicalParamCount,
  WORK as historicalWorkFloats,
  MAPS as historicalTableOffset,
} from "./historical.as";
export {
  modernAddGradients,
  modernGradients,
  modernHessian,
  modernPredict,
  modernSquareParams,
  PARAMS as modernParamCount,
  WORK as modernWorkFloats,
} from "./modern.as";
export { adamUpdate, momentumUpdate, sdlmUpdate, sgdUpdate } from "./optimizers.as";

/**
 * Where the module's own static data (the exp and log tables of AssemblyScript's Math) ends:
 * the host lays its regions out above it.
 */
export function dataEnd(): usize {
  return __heap_base;
}
