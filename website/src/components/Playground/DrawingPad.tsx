// The drawing pad: a 280×280 canvas drawn on with a mouse, a finger or a pen, with Clear and
// Example buttons. It opens with an example digit. `onChange` is called at most once per frame
// while a stroke is drawn, and at once when a stroke ends, the pad is cleared or an example drawn.
import React, { useEffect, useRef } from "react";
import { canvasPoint, clearCanvas, drawLine, drawStrokes } from "./drawing";
import { EXAMPLE_DIGITS } from "./strokes";
import styles from "./styles.module.css";

/** Side of the canvas, pixels. */
const CANVAS_SIDE = 280;

/** The example digit shown first. */
const FIRST_EXAMPLE = 3;

/** The drawing canvas (its element is `canvasRef`'s) and its buttons. */
export default function DrawingPad(props: {
  canvasRef: React.RefObject<HTMLCanvasElement | null>;
  onChange: () => void;
}): React.JSX.Element {
  const { canvasRef } = props;
  const stroke = useRef<{ id: number; last: [number, number] } | null>(null);
  const example = useRef(FIRST_EXAMPLE);
  const frame = useRef(0);

  /** Calls onChange on the next animation frame, once however many strokes come before it. */
  const changeNextFrame = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      props.onChange();
    });
  };

  const showExample = (canvas: HTMLCanvasElement) => {
    clearCanvas(canvas);
    drawStrokes(canvas, EXAMPLE_DIGITS[example.current]);
  };

  useEffect(() => {
    if (canvasRef.current) showExample(canvasRef.current);
  }, []); // once: the page opens with content

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    canvas.setPointerCapture(event.pointerId);
    const point = canvasPoint(canvas, event);
    stroke.current = { id: event.pointerId, last: point };
    drawLine(canvas, point, point); // a dot for a click without movement
    changeNextFrame();
  };

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const canvas = canvasRef.current;
    const drawing = stroke.current;
    if (!canvas || !drawing || drawing.id !== event.pointerId) return;
    const point = canvasPoint(canvas, event);
    drawLine(canvas, drawing.last, point);
    drawing.last = point;
    changeNextFrame();
  };

  const onPointerUp = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (stroke.current?.id !== event.pointerId) return;
    stroke.current = null;
    props.onChange();
  };

  const onClear = () => {
    if (canvasRef.current) clearCanvas(canvasRef.current);
    props.onChange();
  };

  const onExample = () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    example.current = (example.current + 1) % 10;
    showExample(canvas);
    props.onChange();
  };

  return (
    <div className={styles.drawColumn}>
      <canvas
        ref={canvasRef}
        className={styles.drawing}
        width={CANVAS_SIDE}
        height={CANVAS_SIDE}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        aria-label="drawing area: draw one digit"
        data-drawing
      />
      <div className={styles.drawButtons}>
        <button type="button" className="button button--secondary" onClick={onClear} data-clear>
          Clear
        </button>
        <button type="button" className="button button--secondary" onClick={onExample}>
          Example
        </button>
      </div>
      <p className={styles.hint}>Draw one digit, large, with the mouse, a finger or a pen.</p>
    </div>
  );
}
