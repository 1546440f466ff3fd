// The model loader: starts lenet5's browser entry on tfjs's wasm backend (its binaries served
// with the site), then fetches each shipped model once, checks it, and warms it up. Everything
// tfjs loads on the client only: the server-side render never imports it.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import useBaseUrl from "@docusaurus/useBaseUrl";
import type { Lenet5, LoadedModel, ShownModel } from "./types";

/** Where the playground is: fetching a model, showing one, or stopped by an error. */
export type LoadState = "loading" | "ready" | "error";

/** What {@link useShippedModels} offers. */
export interface ShippedModels {
  /** lenet5's browser entry, once started (null before). */
  readonly lenet5: Lenet5 | null;
  /** The tfjs backend in use ("wasm", or "cpu" without WebAssembly). */
  readonly backend: string;
  readonly state: LoadState;
  /** Why the state is "error". */
  readonly error: string;
  /**
   * The model `name`, fetched and warmed up the first time (the state is "loading" meanwhile);
   * null before lenet5 has started. Warm-up runs on `warmupInput()` (e.g. the current drawing),
   * zeros without one, so the latency shown afterwards is the steady one.
   */
  load(name: ShownModel, warmupInput: () => Float32Array | undefined): Promise<LoadedModel | null>;
  /** An already loaded model. */
  loaded(name: ShownModel): LoadedModel | undefined;
  /** Marks the playground ready (a model shown). */
  ready(): void;
  /** Stops on an error, showing its message. */
  fail(caught: unknown): void;
}

/** Untimed forward passes after loading: kernel setup and first allocations. */
const WARMUP_RUNS = 10;

/** Starts lenet5 and loads the shipped models on demand. */
export function useShippedModels(): ShippedModels {
  const weightsBase = useBaseUrl("/generated/weights/");
  const wasmPath = useBaseUrl("/generated/tfjs-wasm/");
  const [lenet5, setLenet5] = useState<Lenet5 | null>(null);
  const [backend, setBackend] = useState("");
  const [state, setState] = useState<LoadState>("loading");
  const [error, setError] = useState("");
  const cache = useRef(new Map<ShownModel, LoadedModel>());

  const fail = useCallback((caught: unknown) => {
    setError(caught instanceof Error ? caught.message : String(caught));
    setState("error");
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const entry = await import("lenet5/browser");
      const name = await entry.initBrowserBackend({ wasmPath });
      if (cancelled) return;
      setBackend(name);
      setLenet5(entry);
    })().catch(fail);
    return () => {
      cancelled = true;
    };
  }, []); // once

  const load = useCallback(
    async (name: ShownModel, warmupInput: () => Float32Array | undefined) => {
      if (!lenet5) return null;
      const cached = cache.current.get(name);
      if (cached) return cached;
      setState("loading");
      const { model, checkpoint } = await lenet5.fetchShippedModel(`${weightsBase}${name}/`, name);
      const probe = lenet5.activationProbe(model);
      const input = warmupInput() ?? new Float32Array(probe.inputSize * probe.inputSize);
      for (let i = 0; i < WARMUP_RUNS; i++) probe.run(input);
      const last = checkpoint.history[checkpoint.history.length - 1];
      const loaded = { probe, epoch: checkpoint.epoch, testAccuracy: last?.testAccuracy ?? null };
      cache.current.set(name, loaded);
      return loaded;
    },
    [lenet5, weightsBase],
  );

  const loaded = useCallback((name: ShownModel) => cache.current.get(name), []);
  const ready = useCallback(() => setState("ready"), []);
  return useMemo(
    () => ({ lenet5, backend, state, error, load, loaded, ready, fail }),
    [lenet5, backend, state, error, load, loaded, ready, fail],
  );
}
