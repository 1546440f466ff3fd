/**
 * The chart builders alone, safe to bundle for a browser: nothing here loads jsdom, Node modules
 * or tslab. A web page imports from this module and calls `chart(document)`; Node code and
 * notebooks use ./index, which adds renderSvg (jsdom) and the notebook display helpers.
 * No paper reference: the list of charts.
 */
export type {
  Chart,
  ChartDocument,
  ChartElement,
  ChartOptions,
  DomDocument,
  DomElement,
  Theme,
} from "./chart";
export { SERIES_COLORS, THEME_COLORS } from "./chart";
export {
  digitImage,
  imageGrid,
  IMAGE_GRID_DEFAULT_COUNT,
  type DigitImageOptions,
  type ImageGridOptions,
  type ImageInput,
} from "./image-grid";
export { featureMaps, type FeatureMapsOptions } from "./feature-maps";
export { kernels, type KernelsOptions } from "./kernels";
export { connectionTable, type ConnectionTableOptions } from "./connection-table";
export { activationCurves, type ActivationCurvesOptions } from "./activation-curves";
export { rbfDistances, type RbfDistancesOptions } from "./rbf-distances";
export { rbfPrototypeBitmaps, type RbfPrototypeBitmapsOptions } from "./rbf-prototype-bitmaps";
export { trainingCurves, type TrainingCurvesOptions } from "./training-curves";
export { confusionMatrix, type ConfusionMatrixOptions } from "./confusion-matrix";
export { barChart, type BarChartOptions } from "./bar-chart";
export { fig9Comparison, type Fig9ComparisonOptions, type MeasuredError } from "./fig9-comparison";
export {
  architectureFigure,
  LENET5_STAGES,
  type ArchitectureOptions,
  type ArchitectureStage,
} from "./architecture";
export {
  passErrorData,
  passErrors,
  type PaperReference,
  type PassErrorPoint,
  type PassErrorsOptions,
  type PassRecord,
} from "./pass-errors";
export {
  runErrorData,
  runErrors,
  type ErrorReference,
  type RunErrorPoint,
  type RunErrorsOptions,
  type RunHistory,
} from "./run-errors";
export {
  rateHistogram,
  rateHistogramData,
  type RateBin,
  type RateHistogramInput,
  type RateHistogramOptions,
} from "./rate-histogram";
