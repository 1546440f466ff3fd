/**
 * Loads jsdom on demand, for drawing charts in Node, and describes the little of its API lenet5
 * uses. No paper reference: chart plumbing. jsdom is required lazily, inside {@link loadJsdom},
 * so that importing lenet5 never loads it (a browser has no jsdom and needs none), and its types
 * stay out of lenet5's public declarations (no `@types/jsdom` needed by anyone).
 */
import type { DomDocument, DomElement } from "./chart";

/** The parts of a jsdom window lenet5 uses. */
export interface JsdomWindow {
  readonly document: DomDocument;
  readonly XMLSerializer: new () => { serializeToString(node: DomElement): string };
  readonly DOMParser: new () => {
    parseFromString(markup: string, type: string): { readonly documentElement: DomElement };
  };
  close(): void;
}

/** The parts of the jsdom module lenet5 uses. */
export interface JsdomModule {
  readonly JSDOM: new (html?: string) => { readonly window: JsdomWindow };
}

/** The jsdom module; throws a clear error if it is not installed. */
export function loadJsdom(): JsdomModule {
  try {
    // A runtime require on purpose: loaded only when a chart is drawn in Node (see header).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("jsdom") as JsdomModule;
  } catch (error) {
    throw new Error(
      `lenet5 charts need the "jsdom" package to draw in Node (npm install jsdom): ${String(error)}`,
    );
  }
}

/** Runs `use` with a fresh, empty jsdom window and closes the window afterwards. */
export function withJsdomWindow<T>(use: (window: JsdomWindow) => T): T {
  const { JSDOM } = loadJsdom();
  const { window } = new JSDOM("<!DOCTYPE html><html><body></body></html>");
  try {
    return use(window);
  } finally {
    window.close();
  }
}
