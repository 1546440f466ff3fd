/**
 * What a lenet5 chart is, and how one is put together: a {@link Chart} is a pure function from a
 * `document` (the browser's, or a jsdom one in Node) to one self-contained `<svg>` element. No
 * paper reference: this is the plumbing every chart builder in src/viz shares.
 *
 * Layout of every figure, top to bottom: title, optional subtitle, optional legend (swatches or a
 * colour ramp), then one or more Observable Plot bodies. The Plot bodies are made without Plot's
 * own `title`/`legend` options, because those wrap the SVG in an HTML `<figure>`; instead their
 * children are moved into `<g>` groups of one outer `<svg>`, so a chart is a single SVG that can
 * be shown as `image/svg+xml`, saved as a .svg file or put in a web page.
 *
 * Colours: text, axes and frames use `currentColor`, so with `theme: "auto"` (the default) a chart
 * takes the text colour of the page around it and reads on light and dark backgrounds alike.
 * `theme: "light"` or `"dark"` paints an opaque background and fixes the text colour, for a
 * figure that must stand on its own (a .svg opened in an image viewer has black `currentColor`).
 *
 * Types: lenet5 compiles without the DOM library, so the DOM is described here by the few members
 * lenet5 uses ({@link DomDocument}, {@link DomElement}). {@link ChartDocument} and
 * {@link ChartElement} become the real `Document` and `SVGSVGElement` in a project whose
 * TypeScript setup includes the DOM library (a web site), and these minimal types elsewhere.
 * Neither Plot's nor jsdom's types appear in lenet5's public declarations.
 */
/** The SVG namespace; every element lenet5 creates itself lives in it. */
export const SVG_NS = "http://www.w3.org/2000/svg";

/** The members of a DOM element lenet5 uses (met by browser and jsdom elements alike). */
export interface DomElement {
  /** The element's tag name, e.g. "svg" or "g". */
  readonly tagName: string;
  /** The first child node, or null if the element has none. */
  readonly firstChild: DomElement | null;
  /** The element's attributes, as name/value pairs. */
  readonly attributes: ArrayLike<{
    /** Attribute name. */
    readonly name: string;
    /** Attribute value. */
    readonly value: string;
  }>;
  /** The text of the element and its descendants; setting it replaces the children by text. */
  textContent: string | null;
  /** Appends `child` as the last child (moving it from where it was) and returns it. */
  appendChild(child: DomElement): DomElement;
  /** Sets attribute `name` to `value`, adding it if absent. */
  setAttribute(name: string, value: string): void;
  /** The value of attribute `name`, or null if the element does not have it. */
  getAttribute(name: string): string | null;
  /** The descendants matching the CSS `selectors`, in document order. */
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

/** The member of a DOM document lenet5 uses. */
export interface DomDocument {
  /** Creates an element `qualifiedName` in `namespace` (lenet5 passes the SVG namespace, `http://www.w3.org/2000/svg`). */
  createElementNS(namespace: string, qualifiedName: string): DomElement;
}

/** The browser's `Document` where the DOM library is loaded, else {@link DomDocument}. */
export type ChartDocument = typeof globalThis extends {
  /** The global `document`, declared where the DOM library is loaded. */
  document: infer D;
}
  ? D
  : DomDocument;

/** The browser's `SVGSVGElement` where the DOM library is loaded, else {@link DomElement}. */
export type ChartElement = typeof globalThis extends {
  /** The global `SVGSVGElement` class, declared where the DOM library is loaded. */
  SVGSVGElement: {
    /** Its instances' type: the element a chart returns. */
    prototype: infer E;
  };
}
  ? E
  : DomElement;

/**
 * A chart: builds its figure, one `<svg>` element, for the given document. Pure: the same data
 * and document give the same figure. Turn it into markup with `renderSvg(chart)` in Node, show it
 * in a notebook with `show(chart)`, or in a browser call `chart(document)` and append the result.
 */
export type Chart = (document: ChartDocument) => ChartElement;

/** Colour handling: `auto` inherits the page's text colour; `light`/`dark` paint a background. */
export type Theme = "auto" | "light" | "dark";

/** Options every chart builder takes. */
export interface ChartOptions {
  /** Heading drawn at the top of the figure (each builder has a default). */
  readonly title?: string;
  /** A smaller line under the title. */
  readonly subtitle?: string;
  /** Width of the figure in pixels (each builder has a default). */
  readonly width?: number;
  /** Colour handling (default `auto`). */
  readonly theme?: Theme;
}

/** Text colour and background of the fixed themes (Docusaurus's own light and dark pages). */
export const THEME_COLORS: Readonly<
  Record<
    Exclude<Theme, "auto">,
    {
      /** Text, axis and frame colour. */
      readonly text: string;
      /** Background colour painted behind the figure. */
      readonly background: string;
    }
  >
> = {
  light: { text: "#1c1e21", background: "#ffffff" },
  dark: { text: "#e3e3e3", background: "#1b1b1d" },
};

/**
 * Series colours (Observable's "observable10" scheme): mid-luminance hues that read on white and
 * on near-black backgrounds.
 */
export const SERIES_COLORS: readonly string[] = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

/**
 * Colour of a highlighted mark (a prediction) and of a wrong prediction's caption: a red that
 * keeps 4.2:1 contrast on white and on Docusaurus's dark page alike (observable10's #ff725c has
 * 2.7:1 on white, too faint for caption text).
 */
export const HIGHLIGHT_COLOR = "#d9482f";
/** Colour of an emphasised mark that is not an error (the true label). */
export const ACCENT_COLOR = "#4269d0";

/** One entry of a swatch legend: a coloured line or box and its label. */
export interface SwatchEntry {
  readonly label: string;
  readonly color: string;
  readonly shape?: "line" | "box";
}

/** What goes between the title and the chart bodies. */
export type LegendSpec =
  | { readonly kind: "swatches"; readonly entries: readonly SwatchEntry[] }
  | { readonly kind: "plot"; readonly svg: DomElement };

/** The parts {@link composeFigure} assembles. */
export interface FigureParts {
  readonly title: string;
  readonly subtitle?: string;
  readonly theme?: Theme;
  readonly legend?: LegendSpec;
  /** Plot SVGs, stacked top to bottom. */
  readonly bodies: readonly DomElement[];
}

const TITLE_SIZE = 15;
const SUBTITLE_SIZE = 12;
const SWATCH_ROW = 20;
const PAD_LEFT = 2;

/** Creates an SVG element with attributes. */
export function svgElement(
  document: DomDocument,
  name: string,
  attributes: Readonly<Record<string, string | number>> = {},
): DomElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** Width and height of an `<svg>` from its attributes. */
function svgSize(svg: DomElement): { width: number; height: number } {
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  if (!(width > 0 && height > 0)) throw new Error("composeFigure: a body has no width or height");
  return { width, height };
}

/** Moves an `<svg>`'s children and presentation attributes into a `<g>` at (x, y). */
function embed(document: DomDocument, svg: DomElement, x: number, y: number): DomElement {
  const group = svgElement(document, "g", { transform: `translate(${x},${y})` });
  for (const { name, value } of Array.from(svg.attributes)) {
    if (!["width", "height", "viewBox", "xmlns", "style"].includes(name))
      group.setAttribute(name, value);
  }
  while (svg.firstChild) group.appendChild(svg.firstChild);
  return group;
}

/** Rough width of a label in 11 px system-ui: enough to lay swatches out without measuring. */
function labelWidth(text: string): number {
  return text.length * 6.2;
}

/** Lays out swatch entries in rows no wider than `width`; returns the group and its height. */
function swatches(
  document: DomDocument,
  entries: readonly SwatchEntry[],
  width: number,
): { group: DomElement; height: number } {
  const group = svgElement(document, "g", { "aria-label": "legend", "font-size": 11 });
  let x = PAD_LEFT;
  let row = 0;
  for (const entry of entries) {
    const itemWidth = 20 + labelWidth(entry.label) + 14;
    if (x > PAD_LEFT && x + itemWidth > width) {
      x = PAD_LEFT;
      row++;
    }
    const y = row * SWATCH_ROW;
    const item = svgElement(document, "g", { transform: `translate(${Math.round(x)},${y})` });
    item.appendChild(
      entry.shape === "line"
        ? svgElement(document, "line", {
            x1: 0,
            x2: 15,
            y1: 7.5,
            y2: 7.5,
            stroke: entry.color,
            "stroke-width": 2.5,
          })
        : svgElement(document, "rect", { width: 15, height: 15, fill: entry.color }),
    );
    const label = svgElement(document, "text", { x: 20, y: 11.5 });
    label.textContent = entry.label;
    item.appendChild(label);
    group.appendChild(item);
    x += itemWidth;
  }
  return { group, height: (row + 1) * SWATCH_ROW };
}

/**
 * Assembles title, subtitle, legend and Plot bodies into one `<svg>` (see the file header).
 * The Plot bodies are emptied: their children move into the figure.
 */
export function composeFigure(document: DomDocument, parts: FigureParts): DomElement {
  const sizes = parts.bodies.map(svgSize);
  const width = Math.max(...sizes.map((size) => size.width));
  const theme = parts.theme ?? "auto";
  const svg = svgElement(document, "svg", {
    role: "img",
    "aria-label": parts.title,
    fill: "currentColor",
    "font-family": "system-ui, sans-serif",
    "font-size": 10,
  });
  const title = svgElement(document, "title");
  title.textContent = parts.title;
  svg.appendChild(title);
  const background = theme === "auto" ? undefined : THEME_COLORS[theme];
  if (background)
    svg.appendChild(
      svgElement(document, "rect", { width: "100%", height: "100%", fill: background.background }),
    );

  let y = 0;
  const heading = svgElement(document, "text", {
    x: PAD_LEFT,
    y: y + TITLE_SIZE + 2,
    "font-size": TITLE_SIZE,
    "font-weight": 600,
  });
  heading.textContent = parts.title;
  svg.appendChild(heading);
  y += TITLE_SIZE + 8;
  if (parts.subtitle) {
    const subtitle = svgElement(document, "text", {
      x: PAD_LEFT,
      y: y + SUBTITLE_SIZE,
      "font-size": SUBTITLE_SIZE,
      "fill-opacity": 0.8,
    });
    subtitle.textContent = parts.subtitle;
    svg.appendChild(subtitle);
    y += SUBTITLE_SIZE + 6;
  }
  let figureWidth = width;
  if (parts.legend?.kind === "swatches") {
    const { group, height } = swatches(document, parts.legend.entries, width);
    group.setAttribute("transform", `translate(0,${y + 4})`);
    svg.appendChild(group);
    y += height + 6;
  } else if (parts.legend?.kind === "plot") {
    const size = svgSize(parts.legend.svg);
    const group = embed(document, parts.legend.svg, 0, y);
    group.setAttribute("aria-label", "legend");
    svg.appendChild(group);
    figureWidth = Math.max(figureWidth, size.width);
    y += size.height;
  }
  parts.bodies.forEach((body, i) => {
    const group = embed(document, body, 0, y);
    if (background) group.setAttribute("style", `--plot-background: ${background.background}`);
    svg.appendChild(group);
    y += sizes[i].height;
  });
  const height = Math.ceil(y);
  svg.setAttribute("width", String(figureWidth));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${figureWidth} ${height}`);
  const style = ["max-width: 100%", "height: auto", "overflow: visible"];
  if (background) style.push(`color: ${background.text}`);
  svg.setAttribute("style", style.join("; "));
  return svg;
}

/** Wraps a builder over lenet5's minimal DOM types as a public {@link Chart}. */
export function chart(build: (document: DomDocument) => DomElement): Chart {
  return build as unknown as Chart;
}

/** Throws a RangeError naming `what` unless `value` is a positive integer. */
export function expectPositiveInteger(what: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
}

/** "trainAccuracy" → "train accuracy": a record key as words for labels. */
export function keyToWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
}
