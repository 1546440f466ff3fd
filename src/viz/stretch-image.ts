/**
 * A Plot render transform that stretches `<image>` marks over a rectangle given in data units, so
 * a picture of W×H pixels covers exactly x ∈ [0, W], y ∈ [0, H] of its (facet's) axes. No paper
 * reference: chart plumbing. Plot's `image` mark sizes pictures in screen pixels only; this makes
 * the axes count image pixels, and works per facet because Plot calls it once per facet.
 */
import type * as Plot from "@observablehq/plot";
import type { DomElement } from "./chart";

/** Rounds a screen coordinate to 1/100 px: tidy, deterministic attributes. */
function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * A `render` option for `Plot.image` that places every image on the data rectangle
 * `xExtent` × `yExtent` (use `preserveAspectRatio: "none"` on the mark so it fills it).
 */
export function stretchImages(
  xExtent: readonly [number, number],
  yExtent: readonly [number, number],
): Plot.RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    if (!next) throw new Error("stretchImages is a render transform: Plot passes it `next`");
    const group = next(index, scales, values, dimensions, context) as unknown as DomElement | null;
    const { x, y } = scales;
    if (group && x && y) {
      const [left, right] = [x(xExtent[0]) as number, x(xExtent[1]) as number];
      const [top, bottom] = [y(yExtent[0]) as number, y(yExtent[1]) as number];
      for (const image of Array.from(group.querySelectorAll("image"))) {
        image.setAttribute("x", px(Math.min(left, right)));
        image.setAttribute("y", px(Math.min(top, bottom)));
        image.setAttribute("width", px(Math.abs(right - left)));
        image.setAttribute("height", px(Math.abs(bottom - top)));
      }
    }
    return group as unknown as ReturnType<Plot.RenderFunction>;
  };
}
