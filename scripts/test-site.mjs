#!/usr/bin/env node
// Browser tests of the built documentation site (website/build): serves it on a free loopback
// port with a small static server, drives Debian's Chromium through playwright-core and checks
//   - every notebook page renders its charts (SVG) and its math (KaTeX);
//   - API reference pages exist for the models and the layers;
//   - the search box finds "tanh";
//   - on /playground, digits drawn with the mouse are classified correctly by both models, and a
//     cleared pad shows a note instead of a digit;
//   - no page logs a console error or an uncaught exception, and no request leaves localhost
//     (any such request is aborted and reported).
// Screenshots (light and dark) go to test-output/site-screenshots/ (gitignored). One line per
// check, "ok" or "not ok"; exit 1 when any check fails.
// Usage: node scripts/test-site.mjs [--build website/build] [--only playground] [--headed]
/* global document, window -- used inside page.evaluate callbacks, which run in the browser */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const buildDir = resolve(root, option("build", "website/build"));
const screenshotDir = resolve(root, option("screenshots", "test-output/site-screenshots"));
const only = option("only", "");

/** The launch flags that work here (see /work/shared/FACTS.md, "Site"). */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Digits the test draws on the playground, as mouse strokes in unit coordinates of the canvas. */
const DRAWN_DIGITS = [
  {
    digit: 1,
    strokes: [
      [
        [0.52, 0.18],
        [0.5, 0.5],
        [0.48, 0.82],
      ],
    ],
  },
  {
    digit: 7,
    strokes: [
      [
        [0.28, 0.22],
        [0.72, 0.22],
        [0.6, 0.45],
        [0.45, 0.82],
      ],
    ],
  },
  {
    digit: 0,
    strokes: [
      Array.from({ length: 41 }, (_, i) => {
        const a = -Math.PI / 2 + (2 * Math.PI * i) / 40;
        return [0.5 + 0.2 * Math.cos(a), 0.5 + 0.3 * Math.sin(a)];
      }),
    ],
  },
  {
    digit: 4,
    strokes: [
      [
        [0.56, 0.2],
        [0.3, 0.6],
        [0.75, 0.6],
      ],
      [
        [0.6, 0.38],
        [0.6, 0.84],
      ],
    ],
  },
];

const results = [];
function report(ok, name, detail = "") {
  results.push({ ok, name });
  console.log(`${ok ? "ok" : "not ok"} - ${name}${detail ? `: ${detail}` : ""}`);
}

// ---------------------------------------------------------------------------------------------
// Static server: the build folder under the site's baseUrl, loopback only.

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Every page of the build, as a path under `baseUrl`: each folder holding an index.html (how
 * Docusaurus writes /docs/x as docs/x/index.html), without the trailing slash; "" is the home.
 */
export function builtPages(baseUrl, dir = buildDir, prefix = "") {
  const pages = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || ["assets", "generated", "img"].includes(entry.name)) continue;
    const relative = `${prefix}${entry.name}`;
    if (existsSync(join(dir, entry.name, "index.html"))) pages.push(`${baseUrl}${relative}`);
    pages.push(...builtPages(baseUrl, join(dir, entry.name), `${relative}/`));
  }
  return pages.sort();
}

/** The site's baseUrl, read from where the built 404 page loads its scripts ("/…/assets/js/"). */
export function baseUrlOf(dir = buildDir) {
  const html = readFileSync(join(dir, "404.html"), "utf8");
  return /(?:src|href)="([^"]*\/)assets\/js\//.exec(html)?.[1] ?? "/";
}

function fileFor(baseUrl, pathname) {
  if (!pathname.startsWith(baseUrl)) return undefined;
  const relative = decodeURIComponent(pathname.slice(baseUrl.length));
  const path = normalize(join(buildDir, relative));
  if (path !== buildDir && !path.startsWith(buildDir + sep)) return undefined;
  const candidates = [path, join(path, "index.html"), `${path}.html`];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

export function startServer(baseUrl) {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = fileFor(baseUrl, pathname);
    const status = file ? 200 : 404;
    const body = file ?? fileFor(baseUrl, `${baseUrl}404.html`);
    response.writeHead(status, {
      "content-type": body
        ? (CONTENT_TYPES[extname(body)] ?? "application/octet-stream")
        : CONTENT_TYPES[".txt"],
      "cache-control": "no-store",
    });
    response.end(body ? readFileSync(body) : "not found");
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

// ---------------------------------------------------------------------------------------------
// Browser plumbing: every page is watched for console errors and off-host requests.

const problems = []; // { page, kind, text }
const schemeOf = new WeakMap(); // context → "light" | "dark"
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

async function newContext(browser, colorScheme, options = {}) {
  const context = await browser.newContext({
    colorScheme,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    ...options,
  });
  schemeOf.set(context, colorScheme);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (["data:", "blob:"].includes(url.protocol) || LOCAL_HOSTS.has(url.hostname)) {
      return route.continue();
    }
    problems.push({
      page: route.request().frame()?.url() ?? "?",
      kind: "off-host request",
      text: url.href,
    });
    return route.abort();
  });
  return context;
}

async function openPage(context, url) {
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") {
      problems.push({ page: page.url(), kind: "console error", text: message.text() });
    }
  });
  page.on("pageerror", (error) => {
    problems.push({ page: page.url(), kind: "uncaught exception", text: error.message });
  });
  // Docusaurus reads ?docusaurus-theme= before it paints: the page opens in the context's mode.
  const themed = new URL(url);
  themed.searchParams.set("docusaurus-theme", schemeOf.get(context) ?? "light");
  await page.goto(themed.href, { waitUntil: "load" });
  await page.waitForLoadState("networkidle").catch(() => undefined);
  return page;
}

function slug(path) {
  return path.replace(/^\/+|\/+$/g, "").replace(/[^a-zA-Z0-9_-]+/g, "_") || "home";
}

async function screenshot(page, name, fullPage = false) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage });
}

/** The page's first chart (an SVG figure, or an SVG image), alone. */
async function chartScreenshot(page, name) {
  const chart = page.locator('article svg[role="img"], article img[src*=".svg"]').first();
  if ((await chart.count()) === 0) return;
  await chart.scrollIntoViewIfNeeded();
  await chart.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

// ---------------------------------------------------------------------------------------------
// Checks.

/** Notebook pages: paths with a "notebooks" segment and a page below it (not the index). */
function notebookPaths(paths) {
  return paths.filter((p) => /\/notebooks\/[^/]+/.test(p));
}

async function checkNotebooks(context, origin, paths) {
  const notebooks = notebookPaths(paths);
  report(notebooks.length > 0, "notebook pages are built", `${notebooks.length} found`);
  for (const path of notebooks) {
    const page = await openPage(context, origin + path);
    const counts = await page.evaluate(() => {
      const main =
        document.querySelector("article") ?? document.querySelector("main") ?? document.body;
      const charts = [...main.querySelectorAll("svg")].filter((svg) => {
        const box = svg.getBoundingClientRect();
        return svg.getAttribute("role") === "img" || (box.width >= 120 && box.height >= 60);
      });
      const svgImages = [...main.querySelectorAll("img")].filter(
        (img) =>
          /\.svg(\?|$)|^data:image\/svg/.test(img.currentSrc || img.src) && img.naturalWidth > 0,
      );
      return {
        charts: charts.length + svgImages.length,
        katex: main.querySelectorAll(".katex").length,
        katexErrors: main.querySelectorAll(".katex-error").length,
        title: document.title,
      };
    });
    const name = `notebook ${path}`;
    report(counts.charts > 0, `${name} renders charts (SVG)`, `${counts.charts} charts`);
    report(
      counts.katex > 0 && counts.katexErrors === 0,
      `${name} renders math (KaTeX)`,
      `${counts.katex} formulas, ${counts.katexErrors} KaTeX errors`,
    );
    await screenshot(page, `notebook-${slug(path)}`);
    await chartScreenshot(page, `notebook-${slug(path)}-chart`);
    await page.close();
  }
}

/** API pages the reference must have: the model builders and the paper's custom layers. */
const API_PAGES = {
  models: ["createModel", "createHistorical", "createModern", "createSeedHistorical"],
  layers: ["SparseConv2D", "Subsampling", "Rbf", "ScaledTanh"],
};

async function checkApi(context, origin, paths) {
  const api = paths.filter((p) => /\/api(\/|$)/.test(p));
  report(api.length > 0, "API reference pages are built", `${api.length} pages`);
  for (const [what, names] of Object.entries(API_PAGES)) {
    const found = names.map((name) => api.find((p) => p.endsWith(`/${name}`)));
    const missing = names.filter((_, i) => !found[i]);
    report(
      missing.length === 0,
      `API pages exist for the ${what} (${names.join(", ")})`,
      missing.length ? `missing: ${missing.join(", ")}` : found.join(", "),
    );
    const first = found.find(Boolean);
    if (first) {
      const page = await openPage(context, origin + first);
      const heading =
        (await page
          .locator("article h1, article h2")
          .first()
          .textContent()
          .catch(() => "")) ?? "";
      const body =
        (await page
          .locator("article")
          .first()
          .textContent()
          .catch(() => "")) ?? "";
      const name = first.split("/").pop();
      report(body.includes(name), `API page ${first} renders`, heading.trim() || "no heading");
      await screenshot(page, `api-${what}`);
      await page.close();
    }
  }
}

async function checkSearch(context, origin, home) {
  const page = await openPage(context, origin + home);
  const input = page
    .locator('input[type="search"], .navbar__search-input, input[aria-label*="earch"]')
    .first();
  try {
    await input.waitFor({ state: "visible", timeout: 10_000 });
    await input.click();
    await input.fill("tanh");
    const hit = page
      .locator('[role="listbox"] [role="option"], .aa-suggestion, [class*="suggestion"]')
      .filter({ hasText: /tanh/i })
      .first();
    await hit.waitFor({ state: "visible", timeout: 15_000 });
    const count = await page.locator('[role="listbox"] [role="option"], .aa-suggestion').count();
    report(true, 'search finds "tanh"', `${count} suggestions`);
    await screenshot(page, "search-tanh");
  } catch (error) {
    report(false, 'search finds "tanh"', error.message.split("\n")[0]);
    await screenshot(page, "search-tanh-failed");
  }
  await page.close();
}

/** Draws strokes (unit coordinates) on the playground's canvas with the mouse. */
async function drawDigit(page, strokes) {
  const box = await page.locator("canvas[data-drawing]").boundingBox();
  if (!box) throw new Error("no drawing canvas");
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 8 });
    await page.mouse.up();
  }
}

async function playgroundState(page) {
  return page
    .locator("[data-state]")
    .first()
    .evaluate((element) => ({ ...element.dataset }));
}

/** Waits until the playground page has loaded `model` and is ready to draw. */
export async function waitReady(page, model) {
  await page.waitForFunction(
    (wanted) => {
      const element = document.querySelector("[data-state]");
      return element?.dataset.state === "ready" && element.dataset.model === wanted;
    },
    model,
    { timeout: 30_000 },
  );
}

async function checkPlayground(context, origin, path, colorScheme) {
  const page = await openPage(context, origin + path);
  try {
    await waitReady(page, "historical");
  } catch (error) {
    const state = await playgroundState(page).catch(() => ({}));
    report(
      false,
      `playground (${colorScheme}) loads the faithful model`,
      `${error.message.split("\n")[0]} ${JSON.stringify(state)}`,
    );
    await screenshot(page, `playground-${colorScheme}-failed`, true);
    await page.close();
    return;
  }
  const state = await playgroundState(page);
  report(true, `playground (${colorScheme}) loads the faithful model`, `backend ${state.backend}`);
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  report(theme === colorScheme, `playground page is in ${colorScheme} mode`, `data-theme=${theme}`);
  await screenshot(page, `playground-${colorScheme}-example`, true);
  if (colorScheme === "dark") {
    await page.close();
    return;
  }
  for (const model of ["historical", "modern"]) {
    if (model !== "historical") {
      await page.locator(`[data-model-button="${model}"]`).click();
      await waitReady(page, model);
    }
    for (const { digit, strokes } of DRAWN_DIGITS) {
      await page.locator("[data-clear]").click();
      await page.waitForFunction(
        () => document.querySelector("[data-state]")?.dataset.prediction === "",
      );
      if (model === "historical" && digit === DRAWN_DIGITS[0].digit) await checkClearedNote(page);
      await drawDigit(page, strokes);
      await page.waitForTimeout(50);
      const { prediction, latencyMs } = await playgroundState(page);
      report(
        prediction === String(digit),
        `playground: a ${digit} drawn with the mouse is read as ${digit} by ${model}`,
        `predicted ${prediction || "nothing"}, last forward ${latencyMs} ms`,
      );
      if (digit === 7) await screenshot(page, `playground-${colorScheme}-${model}-drawn-7`, true);
    }
    // The benchmark hook (scripts/bench-site.mjs) works; its times are reported, not asserted.
    const bench = await page.evaluate(() => window.lenet5Playground?.benchmark(50));
    const sorted = [...(bench?.times ?? [])].sort((a, b) => a - b);
    report(
      sorted.length === 50,
      `playground: the benchmark hook times ${model}`,
      sorted.length
        ? `median ${sorted[25].toFixed(2)} ms on ${bench.backend} (not asserted)`
        : "no times",
    );
  }
  await page.close();
}

/** A cleared pad (one uniform shade) shows a visible note and no digit (issue 16, D12). */
async function checkClearedNote(page) {
  const note = page.locator("[data-digit-warning]").first();
  const kind = await note.getAttribute("data-digit-warning").catch(() => null);
  const text = (await note.innerText().catch(() => "")).trim();
  const visible = await note.isVisible().catch(() => false);
  report(
    kind === "uniform" && visible && /^No digit to read/.test(text),
    "playground: a cleared pad shows a note instead of a digit",
    `${kind}: ${text}`,
  );
}

/** Draws strokes with a finger: Chromium's own touch events (through the DevTools protocol). */
async function touchDigit(page, strokes) {
  const box = await page.locator("canvas[data-drawing]").boundingBox();
  if (!box) throw new Error("no drawing canvas");
  const cdp = await page.context().newCDPSession(page);
  const at = ([x, y]) => ({ x: box.x + x * box.width, y: box.y + y * box.height });
  for (const stroke of strokes) {
    await cdp.send("Input.dispatchTouchEvent", {
      type: "touchStart",
      touchPoints: [at(stroke[0])],
    });
    for (let i = 1; i < stroke.length; i++) {
      for (let step = 1; step <= 8; step++) {
        const [x0, y0] = stroke[i - 1];
        const [x1, y1] = stroke[i];
        const t = step / 8;
        const point = at([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]);
        await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [point] });
      }
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  }
  await cdp.detach();
}

async function checkPlaygroundTouch(context, origin, path) {
  const page = await openPage(context, origin + path);
  try {
    await waitReady(page, "historical");
    await page.locator("canvas[data-drawing]").scrollIntoViewIfNeeded();
    await page.locator("[data-clear]").click();
    await page.waitForFunction(
      () => document.querySelector("[data-state]")?.dataset.prediction === "",
    );
    const { digit, strokes } = DRAWN_DIGITS.find((d) => d.digit === 7);
    await touchDigit(page, strokes);
    await page.waitForTimeout(100);
    const { prediction } = await playgroundState(page);
    report(
      prediction === String(digit),
      `playground (phone, touch): a ${digit} drawn with a finger is read as ${digit}`,
      `predicted ${prediction || "nothing"}`,
    );
  } catch (error) {
    report(false, "playground (phone, touch) works", error.message.split("\n")[0]);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "playground-phone-touch");
  await page.close();
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(buildDir, "404.html"))) {
    console.error(`test-site: no built site in ${buildDir}; run \`npm run site:build\` first`);
    process.exit(1);
  }
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });

  const baseUrl = baseUrlOf();
  const paths = builtPages(baseUrl);
  const server = await startServer(baseUrl);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`test-site: serving ${buildDir} at ${origin}${baseUrl} (${paths.length} pages)`);
  const browser = await launchChromium({ headed: args.includes("--headed") });
  try {
    const light = await newContext(browser, "light");
    const playground = paths.find((p) => /\/playground$/.test(p) && !p.includes("/docs/"));
    if (!only || only === "pages") {
      const home = await openPage(light, origin + baseUrl);
      await screenshot(home, "home-light");
      await home.close();
      await checkNotebooks(light, origin, paths);
      await checkApi(light, origin, paths);
      await checkSearch(light, origin, baseUrl);
    }
    if (!only || only === "playground") {
      report(Boolean(playground), "the playground page is built", playground ?? "missing");
      if (playground) await checkPlayground(light, origin, playground, "light");
      const notes = paths.find((p) => p.endsWith("/docs/playground"));
      if (notes) {
        const page = await openPage(light, origin + notes);
        const rows = await page.locator("article table tbody tr").count();
        report(rows >= 2, "the playground notes show the recorded latency", `${rows} table rows`);
        await screenshot(page, "playground-notes", true);
        await page.close();
      }
    }
    const dark = await newContext(browser, "dark");
    if (!only || only === "pages") {
      const home = await openPage(dark, origin + baseUrl);
      await screenshot(home, "home-dark");
      await home.close();
      // Charts must read in dark mode too: the first chart of a few chapters, in dark.
      for (const notebook of notebookPaths(paths).slice(0, 4)) {
        const page = await openPage(dark, origin + notebook);
        await screenshot(page, `notebook-${slug(notebook)}-dark`);
        await chartScreenshot(page, `notebook-${slug(notebook)}-chart-dark`);
        await page.close();
      }
    }
    if (playground && (!only || only === "playground")) {
      await checkPlayground(dark, origin, playground, "dark");
      const phone = await newContext(browser, "light", {
        viewport: { width: 390, height: 844 },
        hasTouch: true,
        isMobile: true,
      });
      await checkPlaygroundTouch(phone, origin, playground);
    }
  } finally {
    await browser.close();
    server.close();
  }

  const consoleProblems = problems.filter((p) => p.kind !== "off-host request");
  const offHost = problems.filter((p) => p.kind === "off-host request");
  report(
    consoleProblems.length === 0,
    "no console errors or uncaught exceptions",
    consoleProblems.map((p) => `${p.page}: ${p.kind}: ${p.text}`).join(" | "),
  );
  report(
    offHost.length === 0,
    "no request leaves localhost",
    offHost.map((p) => `${p.page} → ${p.text}`).join(" | "),
  );
  const shots = readdirSync(screenshotDir).length;
  console.log(`test-site: ${shots} screenshots in ${screenshotDir}`);
  const failed = results.filter((r) => !r.ok);
  console.log(`test-site: ${results.length - failed.length}/${results.length} checks passed`);
  process.exit(failed.length === 0 ? 0 : 1);
}

/** Debian's Chromium (scripts/setup-chromium.sh), launched with the flags above. */
export async function launchChromium({ headed = false } = {}) {
  let executablePath;
  try {
    executablePath = execFileSync("bash", [join(root, "scripts", "setup-chromium.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  } catch {
    console.error("no Chromium (see the message above)");
    process.exit(1);
  }
  return chromium.launch({ executablePath, headless: !headed, args: CHROMIUM_FLAGS });
}

// Run only when called as a script: scripts/bench-site.mjs imports the server and launcher.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
