/**
 * Reading a rendered chart back, for tests and tools in Node: parse the SVG markup with jsdom,
 * count marks by their `aria-description`, and decode the PNG pixels of its `<image>` data URLs (with
 * the project's own PNG decoder, src/data/png). Not part of the public API. No paper reference.
 */
import { decodePng } from "../data/png";
import type { DomElement } from "../viz/chart";
import { withJsdomWindow } from "../viz/jsdom";

/** Parses SVG markup with jsdom and runs `use` on its root element. */
export function parseSvg<T>(markup: string, use: (root: DomElement) => T): T {
  return withJsdomWindow((window) =>
    use(new window.DOMParser().parseFromString(markup, "image/svg+xml").documentElement),
  );
}

/** Elements matching `selector` under every mark group whose aria-description is `label` (all facets). */
export function marksOf(root: DomElement, label: string, selector: string): DomElement[] {
  return Array.from(root.querySelectorAll(`g[aria-description="${label}"] ${selector}`));
}

/**
 * The elements of a raster grid's mark in panel order (Plot writes facets column by column; each
 * element's aria-label starts "<description> <index>").
 */
export function panelMarks(root: DomElement, description: string, selector: string): DomElement[] {
  const index = (element: DomElement): number =>
    Number(/ (\d+)(:|$)/.exec(element.getAttribute("aria-label") ?? "")?.[1] ?? NaN);
  return marksOf(root, description, selector).sort((a, b) => index(a) - index(b));
}

/** The decoded pictures of a raster grid, in panel order. */
export function panelImages(root: DomElement, description: string): DecodedDataUrl[] {
  return panelMarks(root, description, "image").map((image) =>
    decodeDataUrl(image.getAttribute("href") ?? ""),
  );
}

/** The captions of a raster grid, in panel order. */
export function panelCaptions(root: DomElement): string[] {
  return panelMarks(root, "caption", "text").map((text) => text.textContent ?? "");
}

/** Text contents of every element matching `selector`. */
export function textsOf(root: DomElement, selector: string): string[] {
  return Array.from(root.querySelectorAll(selector), (element) => element.textContent ?? "");
}

/** A decoded `data:image/png;base64,…` URL: size and RGB bytes [height, width, 3]. */
export interface DecodedDataUrl {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Decodes a PNG data URL to RGB bytes (palette and RGB PNGs alike). */
export function decodeDataUrl(url: string): DecodedDataUrl {
  const prefix = "data:image/png;base64,";
  if (!url.startsWith(prefix))
    throw new Error(`decodeDataUrl: not a PNG data URL: ${url.slice(0, 40)}`);
  const image = decodePng(Uint8Array.from(Buffer.from(url.slice(prefix.length), "base64")), "url");
  if (image.channels !== 3)
    throw new Error(`decodeDataUrl: expected RGB, got ${image.channels} channels`);
  return {
    width: image.width,
    height: image.height,
    rgb: Uint8Array.from(image.samples, (sample) => Math.round(sample * 255)),
  };
}

/** The RGB triple of pixel (row, col) of a decoded image. */
export function pixelAt(image: DecodedDataUrl, row: number, col: number): [number, number, number] {
  const at = 3 * (row * image.width + col);
  return [image.rgb[at], image.rgb[at + 1], image.rgb[at + 2]];
}
