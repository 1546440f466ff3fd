/**
 * Charts for lenet5, drawn with Observable Plot: every builder takes data and options and returns
 * a {@link Chart}, a function from a `document` to one `<svg>` (see ./chart for the layout and
 * theming rules). In Node, `renderSvg(chart)` draws it with jsdom (loaded only then); in a tslab
 * notebook, `show(chart)` displays it and `liveChart` redraws one figure in place (./notebook),
 * and outside one they write SVG files; in a browser, import the builders from ./charts and call
 * `chart(document)`.
 * No paper reference: the list of charts and renderers.
 */
export * from "./charts";
export { renderSvg } from "./render";
export {
  CHART_FILES_DIR,
  chartFileKernel,
  liveChart,
  notebookDisplay,
  NotInNotebookError,
  show,
  tslabKernel,
  type LiveChart,
  type LiveChartOptions,
  type Notebook,
  type NotebookDisplay,
  type NotebookKernel,
} from "./notebook";
