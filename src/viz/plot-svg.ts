/**
 * Runs Observable Plot for a given document and insists on a bare `<svg>`: lenet5 draws titles
 * and legends itself (./chart composeFigure), so that every chart is one SVG. Kept apart from
 * ./chart so that Plot's types (which need the DOM library) stay out of lenet5's public
 * declarations. No paper reference: chart plumbing.
 */
import * as Plot from "@observablehq/plot";
import type { DomDocument, DomElement } from "./chart";

/** Runs `Plot.plot` for `document` and checks that it gave a bare `<svg>` (no figure wrapper). */
export function plotSvg(document: DomDocument, options: Plot.PlotOptions): DomElement {
  const plot = Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as DomElement;
  if (plot.tagName.toLowerCase() !== "svg")
    throw new Error("plotSvg: Plot returned a figure; give title and legend to composeFigure");
  return plot;
}
