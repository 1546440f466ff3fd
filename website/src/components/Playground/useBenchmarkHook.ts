// The benchmark hook: window.lenet5Playground.benchmark(repeats) times the forward pass with its
// readback on the current drawing, and the canvas → input preparation (scripts/bench-site.mjs).
import { useEffect } from "react";
import { prepareDrawing } from "./classify";
import type { Result, ShownModel } from "./types";
import type { ShippedModels } from "./useShippedModels";

declare global {
  interface Window {
    lenet5Playground?: {
      /** Forward + readback times (ms) on the current drawing, and the canvas → input times. */
      benchmark(repeats?: number): {
        times: number[];
        prepareTimes: number[];
        backend: string;
        model: string;
      };
    };
  }
}

/** Offers window.lenet5Playground while the playground is shown. */
export function useBenchmarkHook(
  models: ShippedModels,
  model: ShownModel,
  result: Result | null,
  canvasRef: React.RefObject<HTMLCanvasElement | null>,
): void {
  const { lenet5, backend } = models;
  useEffect(() => {
    window.lenet5Playground = {
      benchmark(repeats = 200) {
        const loaded = models.loaded(model);
        const canvas = canvasRef.current;
        if (!lenet5 || !loaded || !result || !canvas) throw new Error("playground not ready");
        const options = { repeats, warmup: 20 };
        const times = lenet5.timeForward(() => loaded.probe.run(result.input), options);
        const prepareTimes = lenet5.timeForward(
          () => prepareDrawing(lenet5, canvas, model),
          options,
        );
        return { times, prepareTimes, backend, model };
      },
    };
    return () => {
      delete window.lenet5Playground;
    };
  }, [lenet5, backend, model, result, models, canvasRef]);
}
