#!/usr/bin/env node
// Browser tests of the live training view (/train) in the built site (website/build), in
// Debian's headless Chromium (playwright-core), the site served on a loopback port:
//   - the page loads its digits and weights, starts one Web Worker, and that worker's engine
//     (compiled asynchronously, WebAssembly.compile) trains 200 steps of `historical` with SDLM
//     with the loss falling (issue 12, item 6);
//   - the browser's first 100 losses equal those of trainModel in Node (the library's own
//     training loop, one engine thread) on the same digits, seed and batch size, within
//     PARITY_TOLERANCE relative (both run the same WebAssembly: they agree to rounding);
//   - Start trains: test accuracy (data-test-accuracy) rises past ACCURACY_THRESHOLD within
//     TRAIN_LIMIT_S; the page keeps painting frames meanwhile; a drawn 1 is read as 1;
//   - Pause stops it (data-images-seen stays put); Reset returns to the initial weights (the
//     weights' checksum and test accuracy of before Start) with no image seen;
//   - no console error or uncaught exception, no request leaves the site's host.
// With --bench N it instead measures N fresh runs (images/s, seconds to 95%) for --seconds S
// each and writes the medians with min–max to --out (docs/train-view-speed.json).
// Usage: node scripts/test-train-view.mjs [--build website/build] [--bench 3 --seconds 60 --out FILE]
/* global document, window, requestAnimationFrame -- used inside page.evaluate */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { baseUrlOf, launchChromium, startServer } from "./test-site.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const buildDir = resolve(root, option("build", "website/build"));
const benchRuns = Number(option("bench", "0"));

/** Relative difference allowed between a browser loss and Node's. */
const PARITY_TOLERANCE = 1e-5;
/** Steps compared with Node. */
const PARITY_STEPS = 100;
/** Steps of the worker probe whose loss must fall. */
const PROBE_STEPS = 200;
/** Test accuracy the test waits for after Start, and how long it waits. */
const ACCURACY_THRESHOLD = 0.9;
const TRAIN_LIMIT_S = 45;
/** The whole script's time limit. */
const SCRIPT_LIMIT_MS = 110_000;

const results = [];
function report(ok, name, detail = "") {
  results.push({ ok, name });
  console.log(`${ok ? "ok" : "not ok"} - ${name}${detail ? `: ${detail}` : ""}`);
}

const problems = [];
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

async function openTrainView(browser, origin, baseUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (["data:", "blob:"].includes(url.protocol) || LOCAL_HOSTS.has(url.hostname))
      return route.continue();
    problems.push(`off-host request: ${url.href}`);
    return route.abort();
  });
  const page = await context.newPage();
  const workers = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`uncaught exception: ${e.message}`));
  await page.goto(`${origin}${baseUrl}train`, { waitUntil: "load" });
  await page.waitForSelector('[data-state="ready"]', { timeout: 30_000 });
  return { context, page, workers };
}

const view = (page) =>
  page.evaluate(() => {
    const el = document.querySelector("[data-state]");
    const n = (name) => Number(el.getAttribute(name));
    return {
      state: el.getAttribute("data-state"),
      running: el.getAttribute("data-running") === "true",
      imagesSeen: n("data-images-seen"),
      accuracy: el.getAttribute("data-test-accuracy") === "" ? NaN : n("data-test-accuracy"),
      imagesPerSec: n("data-images-per-sec"),
      seconds: n("data-seconds"),
      secondsToTarget:
        el.getAttribute("data-seconds-to-target") === "" ? NaN : n("data-seconds-to-target"),
      weightsSum: el.getAttribute("data-weights-sum"),
      prediction: el.getAttribute("data-prediction"),
    };
  });

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** trainModel in Node on the site's own shipped digits: the first `steps` losses. */
async function nodeLosses(steps) {
  const lenet5 = await import("../dist/index.js");
  const live = await import("../dist/live/index.js");
  await lenet5.initBackend();
  const dir = join(buildDir, "generated", "train");
  const manifest = live.parseLiveManifest(
    JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")),
  );
  const file = manifest.digits.train;
  const raw = live.splitDigits(
    new Uint8Array(gunzipSync(readFileSync(join(dir, file.file)))),
    file.count,
  );
  const train = live.netDigits(raw, "historical");
  const recipe = manifest.nets.historical.recipes.sdlm;
  const losses = [];
  const stop = new AbortController();
  const result = await lenet5.trainModel({
    model: "historical",
    optimizer: "sdlm",
    seed: manifest.seed,
    batchSize: recipe.batchSize,
    epochs: 1,
    threads: 1,
    data: { train: { images: train.images, labels: train.labels, count: train.count } },
    evaluate: false,
    onBatch: (progress) => {
      losses.push(progress.loss);
      if (losses.length >= steps) stop.abort();
    },
    signal: stop.signal,
  });
  result.model.dispose();
  return losses.slice(0, steps);
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Draws strokes (unit coordinates) on the pad with the mouse. */
async function draw(page, strokes) {
  await page.click("[data-clear]");
  const box = await page.locator("[data-drawing]").boundingBox();
  for (const stroke of strokes) {
    const [first, ...rest] = stroke.map(([x, y]) => [
      box.x + x * box.width,
      box.y + y * box.height,
    ]);
    await page.mouse.move(first[0], first[1]);
    await page.mouse.down();
    for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 8 });
    await page.mouse.up();
  }
}

async function checks(browser, origin, baseUrl) {
  const { context, page, workers } = await openTrainView(browser, origin, baseUrl);
  const initial = await view(page);
  report(
    initial.imagesSeen === 0 &&
      Number.isFinite(initial.accuracy) &&
      initial.accuracy >= 0 &&
      initial.accuracy <= 1,
    "the view is ready from the paper's initialisation",
    `test accuracy ${initial.accuracy}, weights sum ${initial.weightsSum}`,
  );
  report(workers.length === 1, "training runs in one Web Worker", workers.join(", "));

  const probe = await page.evaluate(
    (steps) => window.lenet5Train.probe("historical", "sdlm", steps),
    PROBE_STEPS,
  );
  const head = mean(probe.losses.slice(0, 20));
  const tail = mean(probe.losses.slice(-20));
  report(
    probe.losses.length === PROBE_STEPS && tail < 0.8 * head,
    `the worker's engine (compiled asynchronously) trains ${PROBE_STEPS} steps and the loss falls`,
    `mean loss of steps 1–20 ${head.toFixed(4)}, of the last 20 ${tail.toFixed(4)}, ${(probe.seconds * 1000).toFixed(0)} ms`,
  );

  const reference = await nodeLosses(PARITY_STEPS);
  const browserLosses = probe.losses.slice(0, PARITY_STEPS);
  const worst = reference.reduce(
    (w, loss, i) =>
      Math.max(w, Math.abs(browserLosses[i] - loss) / Math.max(Math.abs(loss), 1e-12)),
    reference.length === PARITY_STEPS ? 0 : Infinity,
  );
  report(
    worst <= PARITY_TOLERANCE,
    `the first ${PARITY_STEPS} losses equal trainModel's in Node (relative ${PARITY_TOLERANCE})`,
    `largest relative difference ${worst.toExponential(2)}; step 1 ${browserLosses[0]} vs ${reference[0]}`,
  );

  await page.click('[data-action="start"]');
  const started = Date.now();
  let now = await view(page);
  while (!(now.accuracy >= ACCURACY_THRESHOLD) && Date.now() - started < TRAIN_LIMIT_S * 1000) {
    await sleep(250);
    now = await view(page);
  }
  report(
    now.accuracy >= ACCURACY_THRESHOLD,
    `after Start, test accuracy passes ${ACCURACY_THRESHOLD}`,
    `${now.accuracy} after ${now.imagesSeen} images, ${now.seconds.toFixed(1)} s, ${now.imagesPerSec} images/s`,
  );

  // Frames the main thread paints in one second while the worker trains.
  const frames = await page.evaluate(
    () =>
      new Promise((done) => {
        const times = [];
        const tick = (t) => {
          times.push(t);
          if (t - times[0] < 1000) requestAnimationFrame(tick);
          else
            done({
              count: times.length,
              worstGap: Math.max(...times.slice(1).map((v, i) => v - times[i])),
            });
        };
        requestAnimationFrame(tick);
      }),
  );
  report(
    frames.count >= 20 && frames.worstGap < 250,
    "the page keeps painting while it trains",
    `${frames.count} frames in 1 s, longest gap ${frames.worstGap.toFixed(0)} ms`,
  );

  await draw(page, [
    [
      [0.52, 0.18],
      [0.5, 0.5],
      [0.48, 0.82],
    ],
  ]);
  await sleep(600);
  const drawn = await view(page);
  report(
    drawn.prediction === "1",
    "a 1 drawn during training is read as 1",
    `read ${JSON.stringify(drawn.prediction)}`,
  );

  await page.click('[data-action="pause"]');
  await page.waitForSelector('[data-running="false"]');
  await sleep(400);
  const paused = await view(page);
  await sleep(1500);
  const later = await view(page);
  report(
    paused.imagesSeen > 0 && later.imagesSeen === paused.imagesSeen,
    "Pause stops training",
    `${paused.imagesSeen} images seen, ${later.imagesSeen} 1.5 s later`,
  );

  await page.click('[data-action="reset"]');
  await page.waitForFunction(
    () => document.querySelector("[data-state]").getAttribute("data-images-seen") === "0",
  );
  await sleep(300);
  const reset = await view(page);
  report(
    reset.weightsSum === initial.weightsSum && reset.accuracy === initial.accuracy,
    "Reset returns to the initial weights",
    `weights sum ${reset.weightsSum} (initial ${initial.weightsSum}), accuracy ${reset.accuracy} (initial ${initial.accuracy})`,
  );
  await context.close();
}

/** N fresh runs of `seconds` each: images/s and seconds to 95%. */
async function bench(browser, origin, baseUrl, runs, seconds) {
  const records = [];
  for (let run = 0; run < runs; run++) {
    const { context, page } = await openTrainView(browser, origin, baseUrl);
    await page.click('[data-action="start"]');
    const started = Date.now();
    let now = await view(page);
    while (Date.now() - started < seconds * 1000) {
      await sleep(500);
      now = await view(page);
    }
    await page.click('[data-action="pause"]');
    await sleep(300);
    now = await view(page);
    records.push({
      imagesPerSec: now.imagesPerSec,
      secondsTo95: Number.isFinite(now.secondsToTarget) ? now.secondsToTarget : null,
      imagesSeen: now.imagesSeen,
      accuracy: now.accuracy,
      seconds: now.seconds,
    });
    console.log(`run ${run + 1}: ${JSON.stringify(records[records.length - 1])}`);
    await context.close();
  }
  const summary = (xs) => {
    const sorted = xs.filter((x) => x !== null).sort((a, b) => a - b);
    return {
      median: sorted[Math.floor(sorted.length / 2)] ?? null,
      min: sorted[0] ?? null,
      max: sorted[sorted.length - 1] ?? null,
    };
  };
  return {
    runs: records,
    imagesPerSec: summary(records.map((r) => r.imagesPerSec)),
    secondsTo95: summary(records.map((r) => r.secondsTo95)),
    accuracyAtEnd: summary(records.map((r) => r.accuracy)),
  };
}

async function main() {
  if (!existsSync(join(buildDir, "generated", "train", "manifest.json"))) {
    console.error(
      `test-train-view: ${buildDir} has no generated/train/: run npm run site:build first`,
    );
    process.exit(1);
  }
  const timer = setTimeout(
    () => {
      console.error(`test-train-view: over ${SCRIPT_LIMIT_MS / 1000} s, stopping`);
      process.exit(1);
    },
    benchRuns > 0 ? 3_600_000 : SCRIPT_LIMIT_MS,
  );
  const baseUrl = baseUrlOf(buildDir);
  const server = await startServer(baseUrl);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium();
  try {
    if (benchRuns > 0) {
      const seconds = Number(option("seconds", "60"));
      const loadBefore = loadavg()[0];
      const measured = await bench(browser, origin, baseUrl, benchRuns, seconds);
      const out = {
        date: new Date().toISOString(),
        browser: browser.version(),
        secondsPerRun: seconds,
        // The machine's 1-minute load average before and after: other work slows the worker.
        loadAverage: { before: loadBefore, after: loadavg()[0] },
        net: "historical",
        optimizer: "sdlm",
        ...measured,
      };
      const file = option("out", "");
      if (file) writeFileSync(resolve(root, file), `${JSON.stringify(out, null, 2)}\n`);
      console.log(JSON.stringify({ imagesPerSec: out.imagesPerSec, secondsTo95: out.secondsTo95 }));
    } else {
      await checks(browser, origin, baseUrl);
    }
  } finally {
    await browser.close();
    server.close();
    clearTimeout(timer);
  }
  report(
    problems.length === 0,
    "no console errors, no request off the site's host",
    problems.join(" | "),
  );
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
