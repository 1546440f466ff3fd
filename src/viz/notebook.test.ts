import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { activationCurves } from "./activation-curves";
import { connectionTable } from "./connection-table";
import {
  CHART_FILES_DIR,
  NotInNotebookError,
  liveChart,
  notebookDisplay,
  show,
  tslabKernel,
  type NotebookDisplay,
  type NotebookKernel,
} from "./notebook";
import { renderSvg } from "./render";
import { trainingCurves } from "./training-curves";

/** A stand-in for tslab: records what each display handle was sent. */
function fakeKernel() {
  const sent: { handle: number; markup: string }[] = [];
  let handles = 0;
  const handle = (id: number): NotebookDisplay => ({
    svg: (markup) => sent.push({ handle: id, markup }),
  });
  const kernel: NotebookKernel = { display: handle(0), newDisplay: () => handle(++handles) };
  return { kernel, sent, handles: () => handles };
}

test("outside tslab, show writes an SVG file per chart and liveChart one file, each path printed once", () => {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-show-"));
  const cwd = process.cwd();
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => void printed.push(line);
  try {
    process.chdir(dir);
    show(connectionTable());
    show(activationCurves());
    const live = liveChart((rows: { epoch: number; loss: number }[]) => trainingCurves(rows));
    live.update([{ epoch: 1, loss: 1 }]);
    live.update([
      { epoch: 1, loss: 1 },
      { epoch: 2, loss: 0.5 },
    ]);
    const files = readdirSync(join(dir, CHART_FILES_DIR)).sort();
    assert.equal(files.length, 3, files.join(", "));
    const script = basename(process.argv[1] ?? "chart").replace(/\.[^.]*$/, "");
    for (const file of files) assert.match(file, new RegExp(`^${script}-\\d{2}\\.svg$`));
    const markup = files.map((file) => readFileSync(join(dir, CHART_FILES_DIR, file), "utf8"));
    assert.equal(markup[0], renderSvg(connectionTable()));
    assert.equal(markup[1], renderSvg(activationCurves()));
    assert.equal(
      markup[2],
      renderSvg(
        trainingCurves([
          { epoch: 1, loss: 1 },
          { epoch: 2, loss: 0.5 },
        ]),
      ),
      "the live chart's file holds its last drawing",
    );
    assert.deepEqual(
      printed,
      files.map((file) => `chart: ${join(CHART_FILES_DIR, file)} (not in a notebook)`),
    );
  } finally {
    console.log = log;
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => tslabKernel(), /^NotInNotebookError: show\(\) only works inside/);
});

test("notebookDisplay: the TSDoc example sends the chart's SVG to tslab's display.svg", () => {
  const { kernel, sent } = fakeKernel();
  const nb = notebookDisplay(kernel);
  nb.show(activationCurves());
  assert.equal(sent.length, 1);
  assert.equal(sent[0].handle, 0);
  assert.equal(sent[0].markup, renderSvg(activationCurves()));
});

test("liveChart redraws one display handle in place, every N-th update, flush draws the rest", () => {
  const { kernel, sent, handles } = fakeKernel();
  const history: { epoch: number; loss: number }[] = [];
  const live = notebookDisplay(kernel).liveChart((rows: typeof history) => trainingCurves(rows), {
    every: 2,
  });
  for (let epoch = 1; epoch <= 3; epoch++) {
    history.push({ epoch, loss: 1 / epoch });
    live.update(history);
  }
  // updates 1 and 3 draw (1st, then every 2nd); one handle from newDisplay, reused
  assert.equal(live.draws, 2);
  assert.equal(handles(), 1);
  assert.ok(sent.every((entry) => entry.handle === 1));
  history.push({ epoch: 4, loss: 0.25 });
  live.update(history); // update 4: skipped
  assert.equal(live.draws, 2);
  live.flush();
  assert.equal(live.draws, 3);
  assert.equal(sent[2].markup, renderSvg(trainingCurves(history)));
  live.flush(); // nothing pending
  assert.equal(live.draws, 3);
  assert.throws(
    () => notebookDisplay(kernel).liveChart(() => connectionTable(), { every: 0 }),
    /every/,
  );
});

test("inside tslab, show and liveChart find the kernel through tslab's __tslab__ global", () => {
  const { kernel, sent } = fakeKernel();
  const global = globalThis as { __tslab__?: unknown };
  // What tslab sets while it runs a cell: a require that maps "tslab" to the kernel's module.
  global.__tslab__ = { require: (id: string) => (id === "tslab" ? kernel : undefined) };
  try {
    assert.equal(tslabKernel(), kernel);
    show(connectionTable()); // in a notebook cell
    const history: { epoch: number; loss: number }[] = [];
    const live = liveChart((rows: typeof history) => trainingCurves(rows));
    history.push({ epoch: 1, loss: 0.5 });
    live.update(history);
    assert.deepEqual(
      sent.map((entry) => entry.handle),
      [0, 1],
    );
  } finally {
    delete global.__tslab__;
  }
  assert.throws(() => tslabKernel(), NotInNotebookError);
});
