/**
 * Turns a chart into SVG markup in Node: builds it for a fresh jsdom document and serialises it
 * with XMLSerializer, which (unlike `outerHTML`) writes the `xmlns` attribute a standalone .svg
 * file needs. No paper reference: chart plumbing.
 */
import type { Chart, ChartDocument, DomElement } from "./chart";
import { withJsdomWindow } from "./jsdom";

/**
 * SVG markup of a chart (with `xmlns`), drawn with jsdom; the same chart gives the same string.
 * @example
 * ```ts
 * const svg = renderSvg(activationCurves());
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'); // true
 * // fs.writeFileSync("activations.svg", svg);
 * ```
 */
export function renderSvg(chart: Chart): string {
  return withJsdomWindow((window) => {
    const element = chart(window.document as ChartDocument) as unknown as DomElement;
    return new window.XMLSerializer().serializeToString(element);
  });
}
