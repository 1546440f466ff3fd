/**
 * Test support for kernels registered on both wasm and cpu (src/kernels/adam-update.ts,
 * src/kernels/sdlm-update.ts): the three places such a kernel can run, and a runner that puts
 * tfjs there for the length of a test body. No paper reference: test plumbing.
 *
 * Input shape / Output shape: none (it switches backends).
 */
import { after, before } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "./register-kernels"; // the kernels under test, as initBackend() registers them
import { setSimdKernelsEnabled } from "../kernels/simd-kernels";

/** Where a kernel runs: a backend, and on wasm whether its SIMD loop may be used. */
export type KernelMode = "wasm" | "wasm, JavaScript loop" | "cpu";

/** Every {@link KernelMode}, for one test per mode. */
export const KERNEL_MODES: readonly KernelMode[] = ["wasm", "wasm, JavaScript loop", "cpu"];

/**
 * Runs `body` on the backend of `mode`. For the JavaScript loop, turns the SIMD kernels off on
 * the wasm backend (as where they cannot be instantiated) and back on afterwards.
 */
export async function inKernelMode(
  mode: KernelMode,
  body: () => void | Promise<void>,
): Promise<void> {
  await tf.setBackend(mode === "cpu" ? "cpu" : "wasm");
  if (mode !== "wasm, JavaScript loop") return body();
  setSimdKernelsEnabled(tf.backend(), false);
  try {
    await body();
  } finally {
    setSimdKernelsEnabled(tf.backend(), true);
  }
}

/**
 * Registers before/after hooks that put back, once the file's tests are done, the backend tfjs
 * had before them (the mode switches leave it on wasm or cpu). Call it once at a test file's
 * top level.
 */
export function restoreBackendAfterTests(): void {
  let original = "";
  before(async () => {
    await tf.ready(); // tfjs starts its default backend lazily
    original = tf.getBackend();
  });
  after(async () => {
    await tf.setBackend(original);
  });
}
