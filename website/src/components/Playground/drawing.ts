// The drawing canvas's helpers: white strokes on black, as MNIST's digits are, and the canvas
// read back as gray levels 0…1 for lenet5's own MNIST preparation.
import type { Stroke } from "./strokes";

/** Width of a stroke, canvas pixels (the canvas is 280×280: about a 2-pixel pen at 28×28). */
const BRUSH = 20;

/** Canvas pixel under a pointer event (the canvas is CSS-scaled on narrow screens). */
export function canvasPoint(
  canvas: HTMLCanvasElement,
  event: { readonly clientX: number; readonly clientY: number },
): [number, number] {
  const box = canvas.getBoundingClientRect();
  return [
    ((event.clientX - box.left) * canvas.width) / box.width,
    ((event.clientY - box.top) * canvas.height) / box.height,
  ];
}

/**
 * The pad's 2D context. A canvas keeps the attributes of its first getContext call, and the pad
 * is read back after every stroke, so every call asks for a context optimised for reading
 * (otherwise Chrome warns once per load and reads from the GPU).
 */
function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  return canvas.getContext("2d", { willReadFrequently: true });
}

/** Paints the canvas black: an empty drawing. */
export function clearCanvas(canvas: HTMLCanvasElement): void {
  const context = context2d(canvas);
  if (!context) return;
  context.fillStyle = "#000";
  context.fillRect(0, 0, canvas.width, canvas.height);
}

/** A straight white stroke from `from` to `to` (a dot when they are the same point). */
export function drawLine(
  canvas: HTMLCanvasElement,
  from: readonly [number, number],
  to: readonly [number, number],
): void {
  const context = context2d(canvas);
  if (!context) return;
  brush(context);
  context.beginPath();
  context.moveTo(...from);
  context.lineTo(...to);
  context.stroke();
}

/** Draws strokes given in unit coordinates (0…1 of the canvas side), e.g. an example digit. */
export function drawStrokes(canvas: HTMLCanvasElement, strokes: readonly Stroke[]): void {
  const context = context2d(canvas);
  if (!context) return;
  brush(context);
  for (const stroke of strokes) {
    context.beginPath();
    stroke.forEach(([x, y], i) => {
      const px = x * canvas.width;
      const py = y * canvas.height;
      if (i === 0) context.moveTo(px, py);
      else context.lineTo(px, py);
    });
    context.stroke();
  }
}

/** The canvas as gray levels 0…1, row-major [height, width] (its red channel: it is gray). */
export function readGray(canvas: HTMLCanvasElement): Float32Array | null {
  const context = context2d(canvas);
  if (!context) return null;
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const gray = new Float32Array(canvas.width * canvas.height);
  for (let i = 0; i < gray.length; i++) gray[i] = pixels[4 * i] / 255;
  return gray;
}

function brush(context: CanvasRenderingContext2D): void {
  context.strokeStyle = "#fff";
  context.lineWidth = BRUSH;
  context.lineCap = "round";
  context.lineJoin = "round";
}
