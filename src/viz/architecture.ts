/**
 * LeNet-5's architecture drawn in the manner of the paper's Fig. 2 (Section II-B): each layer's
 * feature maps as a stack of squares sized by their side, the fully connected layers as bars, the
 * layer's name above, "maps@side×side" below, and under each gap the kind of connection between
 * two layers (convolutions, subsampling, full connection, Gaussian connections).
 * Input shape: a list of stages (default {@link LENET5_STAGES}). Output shape: a Chart.
 * Plain SVG (no Plot): every position is computed here, so a test can check that no two labels
 * overlap.
 */
import {
  ACCENT_COLOR,
  chart,
  composeFigure,
  svgElement,
  type Chart,
  type ChartOptions,
} from "./chart";
import type { DomDocument, DomElement } from "./chart";

/** One layer of the figure. */
export interface ArchitectureStage {
  /** The layer's name, drawn above it: "INPUT", "C1", … */
  readonly name: string;
  /** Number of feature maps (or units, for a vector layer). */
  readonly maps: number;
  /** Side of each square map; omitted for a vector layer (C5, F6, OUTPUT). */
  readonly side?: number;
  /** The kind of connection from the previous stage ("Convolutions", …); omitted for the first. */
  readonly connection?: string;
}

/**
 * The paper's Fig. 2: INPUT 32×32 → C1 6@28×28 → S2 6@14×14 → C3 16@10×10 → S4 16@5×5 → C5 120
 * → F6 84 → OUTPUT 10, with the paper's names for the connections. C5 is a 5×5 convolution whose
 * maps are 1×1 (chapter 5); the paper's figure calls its connection a full connection.
 */
export const LENET5_STAGES: readonly ArchitectureStage[] = [
  { name: "INPUT", maps: 1, side: 32 },
  { name: "C1", maps: 6, side: 28, connection: "Convolutions" },
  { name: "S2", maps: 6, side: 14, connection: "Subsampling" },
  { name: "C3", maps: 16, side: 10, connection: "Convolutions" },
  { name: "S4", maps: 16, side: 5, connection: "Subsampling" },
  { name: "C5", maps: 120, connection: "Full connection" },
  { name: "F6", maps: 84, connection: "Full connection" },
  { name: "OUTPUT", maps: 10, connection: "Gaussian connections" },
];

/** Options of {@link architectureFigure}. */
export interface ArchitectureOptions extends ChartOptions {
  /** The layers, first to last (default {@link LENET5_STAGES}). */
  readonly stages?: readonly ArchitectureStage[];
}

/** Pixels per pixel of a map's side, and per unit of a vector layer's height. */
const MAP_SCALE = 3;
const UNIT_SCALE = 1;
/** How many squares of a stack are drawn at most, and how far apart. */
const MAX_SQUARES = 8;
const STACK_STEP = 4;
const BAR_WIDTH = 12;
const GAP = 64;
const FONT_SIZE = 11;
const LINE = 15;

/** Rough width of a label at `fontSize` px in system-ui (no layout engine in Node). */
export function estimatedLabelWidth(text: string, fontSize = FONT_SIZE): number {
  return text.length * fontSize * 0.6;
}

/** The drawn width and height of one stage. */
function stageSize(stage: ArchitectureStage): { width: number; height: number } {
  if (stage.side === undefined) return { width: BAR_WIDTH, height: stage.maps * UNIT_SCALE };
  const offset = (Math.min(stage.maps, MAX_SQUARES) - 1) * STACK_STEP;
  const side = stage.side * MAP_SCALE;
  return { width: side + offset, height: side + offset };
}

/** "6@28×28" for maps, "120" for a vector. */
function sizeLabel(stage: ArchitectureStage): string {
  if (stage.side === undefined) return String(stage.maps);
  return stage.maps === 1
    ? `${stage.side}×${stage.side}`
    : `${stage.maps}@${stage.side}×${stage.side}`;
}

function text(
  document: DomDocument,
  content: string,
  x: number,
  y: number,
  attributes: Readonly<Record<string, string | number>> = {},
): DomElement {
  const element = svgElement(document, "text", {
    x: Math.round(x * 10) / 10,
    y: Math.round(y * 10) / 10,
    "text-anchor": "middle",
    "font-size": FONT_SIZE,
    ...attributes,
  });
  element.textContent = content;
  return element;
}

/** Draws one stage with its top-left corner at (x, top of a box of height `height` centred on midY). */
function drawStage(
  document: DomDocument,
  stage: ArchitectureStage,
  x: number,
  midY: number,
): DomElement {
  const group = svgElement(document, "g", { "aria-label": `${stage.name} ${sizeLabel(stage)}` });
  const { width, height } = stageSize(stage);
  const top = midY - height / 2;
  if (stage.side === undefined) {
    group.appendChild(
      svgElement(document, "rect", {
        x,
        y: top,
        width,
        height,
        fill: ACCENT_COLOR,
        "fill-opacity": 0.25,
        stroke: "currentColor",
      }),
    );
    return group;
  }
  const squares = Math.min(stage.maps, MAX_SQUARES);
  const side = stage.side * MAP_SCALE;
  // Back to front: the last square drawn is the front map, at the bottom left of the stack.
  for (let k = squares - 1; k >= 0; k--) {
    group.appendChild(
      svgElement(document, "rect", {
        x: x + k * STACK_STEP,
        y: top + (squares - 1 - k) * STACK_STEP,
        width: side,
        height: side,
        fill: k === 0 ? ACCENT_COLOR : "#ffffff",
        "fill-opacity": k === 0 ? 0.25 : 1,
        stroke: "currentColor",
        "stroke-width": 0.8,
      }),
    );
  }
  return group;
}

/** An arrow from x1 to x2 at height y. */
function arrow(document: DomDocument, x1: number, x2: number, y: number): DomElement {
  const group = svgElement(document, "g", { "aria-label": "connection", stroke: "currentColor" });
  group.appendChild(svgElement(document, "line", { x1, x2: x2 - 6, y1: y, y2: y }));
  group.appendChild(
    svgElement(document, "path", {
      d: `M${x2},${y}L${x2 - 7},${y - 4}L${x2 - 7},${y + 4}Z`,
      fill: "currentColor",
      stroke: "none",
    }),
  );
  return group;
}

/**
 * The architecture figure: stacked feature maps with their sizes and the connections between
 * them, after the paper's Fig. 2.
 * @example
 * ```ts
 * const svg = renderSvg(architectureFigure()); // labels INPUT … OUTPUT, "6@28×28", "Subsampling", …
 * ```
 */
export function architectureFigure(options: ArchitectureOptions = {}): Chart {
  const stages = options.stages ?? LENET5_STAGES;
  if (stages.length === 0) throw new RangeError("architectureFigure: no stages to draw");
  return chart((document) => {
    const sizes = stages.map(stageSize);
    const tallest = Math.max(...sizes.map((size) => size.height));
    // Side margins wide enough for the first and last labels.
    const labelHalf = (i: number): number =>
      Math.max(estimatedLabelWidth(stages[i].name), estimatedLabelWidth(sizeLabel(stages[i]))) / 2;
    // A left margin wide enough for the first stage's labels and the first connection's.
    const margin = Math.max(8, labelHalf(0) - sizes[0].width / 2 + 4);
    const xs: number[] = [];
    let x = margin;
    sizes.forEach((size) => {
      xs.push(x);
      x += size.width + GAP;
    });
    const nameY = LINE;
    const midY = nameY + 8 + tallest / 2;
    const sizeY = midY + tallest / 2 + LINE;
    // Connection labels alternate between two rows, so neighbours never meet.
    const connectionRows = [sizeY + LINE + 4, sizeY + 2 * LINE + 4];
    const height = Math.ceil(connectionRows[1] + 6);

    const marks: DomElement[] = [];
    const labels: { content: string; x: number; y: number; bold?: boolean }[] = [];
    stages.forEach((stage, i) => {
      const centre = xs[i] + sizes[i].width / 2;
      marks.push(drawStage(document, stage, xs[i], midY));
      labels.push({ content: stage.name, x: centre, y: nameY, bold: true });
      labels.push({ content: sizeLabel(stage), x: centre, y: sizeY });
      if (i === 0) return;
      const from = xs[i - 1] + sizes[i - 1].width + 4;
      const to = xs[i] - 4;
      marks.push(arrow(document, from, to, midY));
      if (stage.connection)
        labels.push({
          content: stage.connection,
          x: (from + to) / 2,
          y: connectionRows[(i - 1) % 2],
        });
    });
    const width = Math.ceil(
      Math.max(
        ...labels.map((label) => label.x + estimatedLabelWidth(label.content) / 2),
        x - GAP,
      ) + 6,
    );
    const body = svgElement(document, "svg", { width, height, viewBox: `0 0 ${width} ${height}` });
    marks.forEach((mark) => body.appendChild(mark));
    labels.forEach(({ content, x: at, y, bold }) =>
      body.appendChild(
        text(document, content, at, y, bold ? { "font-weight": 600 } : { "fill-opacity": 0.8 }),
      ),
    );
    return composeFigure(document, {
      title: options.title ?? "LeNet-5, layer by layer (after the paper's Fig. 2)",
      subtitle:
        options.subtitle ??
        "feature maps as stacks, with number@size below; C5, F6 and OUTPUT as vectors; the connection below each arrow",
      theme: options.theme,
      bodies: [body],
    });
  });
}
