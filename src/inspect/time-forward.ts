/**
 * Timing a forward pass the way the site's playground reports it: untimed warm-up runs, then one
 * time per run. No paper reference.
 *
 * Input shape / Output shape: none (it times a function).
 */
/**
 * Times `run` (a forward pass with its readback) `repeats` times after `warmup` untimed runs;
 * returns each time in milliseconds. `now` is the clock (`performance.now` by default).
 * @example
 * ```ts
 * const times = timeForward(() => probe.run(input), { repeats: 50 });
 * ```
 * @param run - The forward pass to time (its result is ignored).
 * @param options - Timed repeats, untimed warm-up runs, and the clock.
 */
export function timeForward(
  run: () => unknown,
  { repeats = 50, warmup = 5, now = () => performance.now() } = {},
): number[] {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = now();
    run();
    times.push(now() - start);
  }
  return times;
}
