/**
 * Showing charts in a Jupyter notebook run by the tslab kernel, without lenet5 importing tslab.
 * No paper reference: notebook plumbing.
 *
 * Two ways in:
 * - Explicit (recommended where you already import tslab): hand tslab to lenet5 once,
 *     import * as tslab from "tslab";
 *     const nb = notebookDisplay(tslab);
 *     nb.show(activationCurves());
 * - Zero setup: `show(chart)` and `liveChart(build)` find the running kernel themselves. tslab
 *   publishes `globalThis.__tslab__` while it runs a notebook; its `require("tslab")` returns the
 *   kernel's own tslab module (the instance wired to the notebook; a second copy of tslab loaded
 *   from node_modules would not be).
 *
 * Outside tslab (node, tsx: a notebook's cells pasted into a learner's own script) there is no
 * such global, and `show` and `liveChart` write SVG files instead, so the same code runs there:
 * each `show` a new file, each live chart one file rewritten in place, in `lenet5-charts/` under
 * the working directory, named after the script (`00-tour-01.svg`); the path is printed once.
 *
 * Charts are sent with tslab's `display.svg`, i.e. as `image/svg+xml` output: one SVG per chart.
 *
 * Live charts: tslab's `newDisplay()` returns a display that the first call creates and every
 * later call *replaces in place* (Jupyter's `update_display_data`), so {@link liveChart} redraws
 * one figure during training instead of appending a new one per update; with `every: N` it only
 * redraws on every N-th update, and `flush()` draws the last data if it was skipped. The training
 * loop must yield (be async) for the kernel to send the updates while it runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { Chart } from "./chart";
import { renderSvg } from "./render";

/** The part of tslab's `Display` lenet5 uses. */
export interface NotebookDisplay {
  /** Shows SVG markup as the cell's `image/svg+xml` output (replacing this display's last one). */
  svg(markup: string): void;
}

/** The part of the `tslab` module lenet5 uses (pass the module itself: `import * as tslab`). */
export interface NotebookKernel {
  /** The current cell's display: each call appends a new output. */
  readonly display: NotebookDisplay;
  /** A fresh display handle whose later calls update its one output in place. */
  newDisplay(): NotebookDisplay;
}

/** Thrown by {@link tslabKernel} outside the tslab Jupyter kernel. */
export class NotInNotebookError extends Error {
  /** An error naming `what` (e.g. "show()") and pointing to renderSvg instead. */
  constructor(what: string) {
    super(
      `${what} only works inside the tslab Jupyter kernel (a notebook cell). ` +
        "Outside a notebook, turn the chart into SVG markup with renderSvg(chart) and save it, " +
        'e.g. fs.writeFileSync("chart.svg", renderSvg(chart)).',
    );
    this.name = "NotInNotebookError";
  }
}

/** Options of {@link liveChart}. */
export interface LiveChartOptions {
  /** Redraw on the 1st update and then every `every`-th (default 1: every update). */
  readonly every?: number;
}

/** A chart redrawn in place as its data changes (see the file header). */
export interface LiveChart<T> {
  /** Records new data; redraws now or, with `every`, when its turn comes. */
  update(data: T): void;
  /** Draws the latest data if the last update was skipped. */
  flush(): void;
  /** How many times the figure has been drawn so far. */
  readonly draws: number;
}

/** What {@link notebookDisplay} returns: {@link show} and {@link liveChart} bound to one kernel. */
export interface Notebook {
  /** Renders `chart` to SVG and shows it as the output of the current cell. */
  show(chart: Chart): void;
  /** A chart built from data by `build`, redrawn in place on each (or every `every`-th) update. */
  liveChart<T>(build: (data: T) => Chart, options?: LiveChartOptions): LiveChart<T>;
}

/** tslab's global while it runs a cell: `require` maps "tslab" to the kernel's own module. */
interface TslabGlobal {
  readonly require?: (id: string) => unknown;
}

/** The running tslab kernel's module, or undefined outside tslab. */
function runningKernel(): NotebookKernel | undefined {
  const hook = (globalThis as { __tslab__?: TslabGlobal }).__tslab__;
  if (typeof hook?.require !== "function") return undefined;
  const kernel = hook.require("tslab") as Partial<NotebookKernel> | undefined;
  if (typeof kernel?.display?.svg !== "function" || typeof kernel.newDisplay !== "function")
    return undefined;
  return kernel as NotebookKernel;
}

/**
 * The running tslab kernel's module, or a {@link NotInNotebookError} naming `what`.
 * @example
 * ```ts
 * notebookDisplay(tslabKernel()).show(activationCurves()); // in a notebook cell
 * ```
 */
export function tslabKernel(what = "show()"): NotebookKernel {
  const kernel = runningKernel();
  if (kernel === undefined) throw new NotInNotebookError(what);
  return kernel;
}

/** Folder of the SVG files {@link show} and {@link liveChart} write outside a notebook. */
export const CHART_FILES_DIR = "lenet5-charts";

let chartFiles = 0;

/** The next chart file: lenet5-charts/<script>-NN.svg under the working directory. */
function nextChartFile(): string {
  const script = process.argv[1] ? basename(process.argv[1]).replace(/\.[^.]*$/, "") : "chart";
  chartFiles++;
  return join(
    process.cwd(),
    CHART_FILES_DIR,
    `${script}-${String(chartFiles).padStart(2, "0")}.svg`,
  );
}

/** A display writing into one file (each call replaces it), printing the path the first time. */
function fileDisplay(file: string): NotebookDisplay {
  let written = false;
  return {
    svg(markup) {
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, markup);
      if (!written) console.log(`chart: ${relative(process.cwd(), file)} (not in a notebook)`);
      written = true;
    },
  };
}

/**
 * Where there is no notebook: a stand-in for tslab whose `display` writes each chart to a new
 * SVG file and whose `newDisplay()` gives one file rewritten in place (see the file header).
 * @example
 * ```ts
 * notebookDisplay(chartFileKernel()).show(activationCurves()); // chart: lenet5-charts/…-01.svg
 * ```
 */
export function chartFileKernel(): NotebookKernel {
  return {
    get display() {
      return fileDisplay(nextChartFile());
    },
    newDisplay: () => fileDisplay(nextChartFile()),
  };
}

/** A live chart drawing on `display` (one display handle, updated in place). */
function makeLiveChart<T>(
  display: NotebookDisplay,
  build: (data: T) => Chart,
  options: LiveChartOptions,
): LiveChart<T> {
  const every = options.every ?? 1;
  if (!(Number.isInteger(every) && every >= 1))
    throw new RangeError(`liveChart: every must be a positive integer, got ${every}`);
  let updates = 0;
  let draws = 0;
  let pending: { data: T } | undefined;
  const draw = (data: T): void => {
    display.svg(renderSvg(build(data)));
    draws++;
    pending = undefined;
  };
  return {
    update(data: T): void {
      if (updates++ % every === 0) draw(data);
      else pending = { data };
    },
    flush(): void {
      if (pending) draw(pending.data);
    },
    get draws(): number {
      return draws;
    },
  };
}

/**
 * Binds {@link show} and {@link liveChart} to the tslab module you pass (see the file header).
 * @example
 * ```ts
 * // in a notebook: import * as tslab from "tslab";
 * const nb = notebookDisplay(tslab);
 * nb.show(activationCurves());
 * ```
 */
export function notebookDisplay(kernel: NotebookKernel): Notebook {
  return {
    show: (chart) => kernel.display.svg(renderSvg(chart)),
    liveChart: (build, options = {}) => makeLiveChart(kernel.newDisplay(), build, options),
  };
}

/**
 * Shows a chart as the output of the current notebook cell; outside a notebook, writes it to an
 * SVG file in `lenet5-charts/` and prints the path (see the file header).
 * @example
 * ```ts
 * show(connectionTable()); // in a notebook cell; in a script: chart: lenet5-charts/…-01.svg
 * ```
 */
export function show(chart: Chart): void {
  notebookDisplay(runningKernel() ?? chartFileKernel()).show(chart);
}

/**
 * A chart that redraws in place in the current notebook cell as `update(data)` is called;
 * outside a notebook, one SVG file in `lenet5-charts/` rewritten in place (see the file header).
 * @example
 * ```ts
 * // in a notebook cell, during training:
 * const history: { epoch: number; loss: number }[] = [];
 * const live = liveChart((rows: typeof history) => trainingCurves(rows));
 * // after each epoch: history.push({ epoch, loss }); live.update(history);
 * ```
 */
export function liveChart<T>(
  build: (data: T) => Chart,
  options: LiveChartOptions = {},
): LiveChart<T> {
  return notebookDisplay(runningKernel() ?? chartFileKernel()).liveChart(build, options);
}
