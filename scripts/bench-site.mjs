#!/usr/bin/env node
// Browser latency benchmark of the interactive LeNet-5 (/playground) on the built site: serves
// website/build on loopback, opens the page in Debian's Chromium (playwright-core), and for each
// model times, on the page's example digit, the forward pass with the readback of every layer
// (what the page does per drawing update) and the canvas → network-input preparation
// (window.lenet5Playground.benchmark). Rounds alternate the models. Records medians with
// min–max in docs/playground-latency.json and in the measured block of docs/playground.md.
// Usage: npm run site:build && node scripts/bench-site.mjs [--rounds 5] [--repeats 200] [--build dir]
/* global window -- used inside page.evaluate callbacks, which run in the browser */
import { cpus } from "node:os";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as prettier from "prettier";
import { baseUrlOf, launchChromium, startServer, waitReady } from "./test-site.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const numberOption = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
  return value;
};
const rounds = numberOption("rounds", 5);
const repeats = numberOption("repeats", 200);
const MODELS = ["historical", "modern"];
const jsonPath = join(root, "docs", "playground-latency.json");
const pagePath = join(root, "docs", "playground.md");

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const round3 = (v) => Math.round(v * 1000) / 1000;
  return {
    samples: sorted.length,
    medianMs: round3(quantile(sorted, 0.5)),
    minMs: round3(sorted[0]),
    maxMs: round3(sorted[sorted.length - 1]),
    p90Ms: round3(quantile(sorted, 0.9)),
    meanMs: round3(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

async function main() {
  const at = args.indexOf("--build");
  const buildDir = resolve(root, at >= 0 ? args[at + 1] : "website/build"); // also test-site's server
  const baseUrl = baseUrlOf(buildDir);
  const server = await startServer(baseUrl);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium();
  const times = Object.fromEntries(
    MODELS.map((m) => [m, { forward: [], prepare: [], roundMedians: [] }]),
  );
  let backend = "";
  try {
    const page = await browser.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") console.error(`page console error: ${message.text()}`);
    });
    await page.goto(`${origin}${baseUrl}playground`, { waitUntil: "load" });
    await waitReady(page, "historical");
    for (let round = 0; round < rounds; round++) {
      for (const model of round % 2 === 0 ? MODELS : [...MODELS].reverse()) {
        await page.locator(`[data-model-button="${model}"]`).click();
        await waitReady(page, model);
        const result = await page.evaluate((n) => window.lenet5Playground.benchmark(n), repeats);
        backend = result.backend;
        times[model].forward.push(...result.times);
        times[model].prepare.push(...result.prepareTimes);
        times[model].roundMedians.push(summary(result.times).medianMs);
        console.log(
          `bench-site: round ${round + 1}/${rounds} ${model}: forward + readback median ` +
            `${summary(result.times).medianMs} ms, canvas → input ${summary(result.prepareTimes).medianMs} ms`,
        );
      }
    }
    const record = {
      what:
        "per-digit latency of the interactive LeNet-5 in the browser: one forward pass with the " +
        "readback of every layer's output (C1 … OUTPUT), as the page runs on each drawing update; " +
        "and the preparation of the 280×280 canvas into the network's input (imageToMnist + normalisation)",
      date: new Date().toISOString(),
      browser: `Chromium ${browser.version()} (headless, Debian package)`,
      backend,
      cpu: `${cpus()[0]?.model ?? "unknown"} × ${cpus().length}`,
      rounds,
      repeatsPerRound: repeats,
      timer:
        "performance.now() around each run; Chromium coarsens it to 0.1 ms on a page that is not " +
        "cross-origin isolated, so single samples are multiples of ~0.1 ms",
      models: Object.fromEntries(
        MODELS.map((m) => [
          m,
          {
            forwardWithReadback: {
              ...summary(times[m].forward),
              roundMediansMs: times[m].roundMedians,
            },
            canvasToInput: summary(times[m].prepare),
          },
        ]),
      ),
    };
    await writeFormatted(jsonPath, JSON.stringify(record), "json");
    console.log(`bench-site: wrote ${jsonPath}`);
    await updatePage(record);
  } finally {
    await browser.close();
    server.close();
  }
}

/** Writes `text` as the repository's Prettier would (so `npm run lint` stays clean). */
async function writeFormatted(path, text, parser) {
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(text, { ...options, parser }));
}

/** Rewrites the block between the "measured" markers of docs/playground.md. */
async function updatePage(record) {
  const start = "<!-- measured:start (scripts/bench-site.mjs) -->";
  const end = "<!-- measured:end -->";
  const page = readFileSync(pagePath, "utf8");
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${pagePath}: the measured markers are missing`);
  const row = (model, label) => {
    const f = record.models[model].forwardWithReadback;
    const p = record.models[model].canvasToInput;
    const ms = (v) => v.toFixed(2);
    return `| ${label} | ${ms(f.medianMs)} | ${ms(f.p90Ms)} | ${ms(f.minMs)}–${ms(f.maxMs)} | ${ms(p.medianMs)} |`;
  };
  const block = [
    start,
    "",
    `Measured ${record.date.slice(0, 10)} with \`npm run bench:site\`: ${record.browser}, tfjs ` +
      `\`${record.backend}\` backend, ${record.cpu}; ${record.rounds} rounds × ` +
      `${record.repeatsPerRound} runs per model, models alternating. Times in milliseconds.`,
    "",
    "| model | forward + readback: median | 90th percentile | min–max | canvas → input: median |",
    "| --- | ---: | ---: | ---: | ---: |",
    row("historical", "LeNet-5 (1998, faithful)"),
    row("modern", "Modern LeNet-5"),
    "",
    "The rare slow runs (the maximum) change from run to run: occasional pauses of a shared " +
      "two-core machine. Raw numbers: `docs/playground-latency.json`.",
    "",
    end,
  ].join("\n");
  await writeFormatted(
    pagePath,
    page.slice(0, from) + block + page.slice(to + end.length),
    "markdown",
  );
  console.log(`bench-site: updated ${pagePath}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
