#!/usr/bin/env node
// Layout checks of the built site (website/build) in headless Chromium, at 1280×900 and on a
// 390×844 phone — what a reader sees, measured in the page:
//   - no page is wider than its viewport;
//   - no two text labels of a chart overlap (each <text>'s box, rotations included, against every
//     other in the same SVG);
//   - chart text stays legible on the phone (the median label at least MIN_LABEL_PX tall);
//   - display math, code, outputs and figures are never cut: what is wider than its block
//     scrolls inside it (overflow-x auto or scroll), nothing is clipped;
//   - every page of the docs (the API's member pages aside) is in the sidebar: it shows the
//     sidebar with its own entry active, and a breadcrumb;
//   - search's first result for "tanh", "Hessian" and "checkpoint" is a chapter.
// Screenshots of every page at both widths go to test-output/site-layout/.
// Usage: node scripts/test-site-layout.mjs [--build website/build] [--only PATH-SUBSTRING]
/* global document, getComputedStyle, DOMPoint, Element -- used inside page.evaluate */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { baseUrlOf, builtPages, launchChromium, startServer } from "./test-site.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
// The server (test-site.mjs) serves website/build, or the --build it was given.
const buildDir = resolve(root, option("build", "website/build"));
const shotDir = resolve(root, "test-output/site-layout");
const only = option("only", "");

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};
/** The median chart label's height on screen, in CSS pixels, below which a phone reader squints. */
const MIN_LABEL_PX = 8;
/** Searches whose first result must be a chapter. */
const SEARCHES = ["tanh", "Hessian", "checkpoint"];
/** The whole script's time limit. */
const SCRIPT_LIMIT_MS = 600_000;

const results = [];
function report(ok, name, detail = "") {
  results.push({ ok, name });
  console.log(`${ok ? "ok" : "not ok"} - ${name}${detail ? `: ${detail}` : ""}`);
}

/** Pages checked: the docs (API member pages aside — generated, one layout), home, the views. */
function pagesToCheck(paths) {
  return paths.filter(
    (path) =>
      !/\/docs\/api\/.+/.test(path) &&
      !/\/(search|404\.html)$/.test(path) &&
      (!only || path.includes(only)),
  );
}

/** Everything measured on one page, in the page. */
function measure() {
  const article = document.querySelector("article") ?? document.querySelector("main");
  const scope = article ?? document.body;
  const width = document.documentElement.clientWidth;
  const pageWidth = document.documentElement.scrollWidth;

  // A text element's four corners on screen: its own box through its transform to the screen.
  const corners = (text) => {
    const box = text.getBBox();
    const m = text.getScreenCTM();
    if (!m || box.width === 0 || box.height === 0) return null;
    // Fonts' boxes include line spacing: shrink a little so labels that merely touch pass.
    const inset = Math.min(box.height * 0.15, 1.5);
    return [
      [box.x + inset, box.y + inset],
      [box.x + box.width - inset, box.y + inset],
      [box.x + box.width - inset, box.y + box.height - inset],
      [box.x + inset, box.y + box.height - inset],
    ].map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
  };
  // Two convex quadrilaterals overlap unless one of their edges' normals separates them.
  const overlap = (a, b) => {
    for (const quad of [a, b]) {
      for (let i = 0; i < 4; i++) {
        const p = quad[i];
        const q = quad[(i + 1) % 4];
        const nx = q.y - p.y;
        const ny = p.x - q.x;
        const project = (pts) => pts.map((pt) => pt.x * nx + pt.y * ny);
        const pa = project(a);
        const pb = project(b);
        if (Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa)) return false;
      }
    }
    return true;
  };
  const visible = (el) => {
    for (let node = el; node && node instanceof Element; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0)
        return false;
    }
    return true;
  };

  const charts = [...scope.querySelectorAll("svg")].filter((svg) => {
    const box = svg.getBoundingClientRect();
    return box.width >= 120 && box.height >= 60 && !svg.closest("svg svg");
  });
  const collisions = [];
  const labelHeights = [];
  charts.forEach((svg, chart) => {
    const labels = [...svg.querySelectorAll("text")]
      .filter((t) => t.textContent.trim() !== "" && visible(t))
      .map((t) => ({ text: t.textContent.trim(), quad: corners(t), t }))
      .filter((l) => l.quad !== null);
    for (const l of labels) labelHeights.push(l.t.getBoundingClientRect().height);
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (overlap(labels[i].quad, labels[j].quad)) {
          collisions.push(`chart ${chart + 1}: "${labels[i].text}" × "${labels[j].text}"`);
        }
      }
    }
  });
  labelHeights.sort((a, b) => a - b);

  // Blocks wider than their content box must scroll, not clip or spill.
  const cut = [];
  const blocks = scope.querySelectorAll(
    ".katex-display, pre, table, [data-output], .notebook-figure",
  );
  for (const el of blocks) {
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== "auto" && overflow !== "scroll") {
      const what = el.className || el.tagName.toLowerCase();
      cut.push(`${what} (${el.scrollWidth} px in ${el.clientWidth}, overflow ${overflow})`);
    }
  }

  // The page's own entry is the deepest active link (its category's link is active too).
  const actives = document.querySelectorAll(".theme-doc-sidebar-menu a.menu__link--active");
  const active = actives[actives.length - 1];
  return {
    width,
    pageWidth,
    charts: charts.length,
    collisions,
    medianLabel: labelHeights.length ? labelHeights[Math.floor(labelHeights.length / 2)] : null,
    cut,
    sidebar: Boolean(document.querySelector(".theme-doc-sidebar-menu")),
    activeHref: active ? new URL(active.href).pathname.replace(/\/$/, "") : null,
    breadcrumb: Boolean(document.querySelector(".breadcrumbs")),
  };
}

const slug = (path) => path.replace(/^\/+|\/+$/g, "").replace(/[^a-zA-Z0-9_-]+/g, "_") || "home";

async function checkPage(context, origin, path, device) {
  const page = await context.newPage();
  await page.goto(origin + path, { waitUntil: "load" });
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const m = await page.evaluate(measure);
  const where = `${path} (${device})`;
  const problems = [];
  if (m.pageWidth > m.width + 1) problems.push(`page ${m.pageWidth} px wide in ${m.width}`);
  if (m.collisions.length)
    problems.push(
      `${m.collisions.length} label collisions: ${m.collisions.slice(0, 6).join("; ")}`,
    );
  if (m.cut.length) problems.push(`cut without scrolling: ${m.cut.slice(0, 4).join("; ")}`);
  if (device === "phone" && m.medianLabel !== null && m.medianLabel < MIN_LABEL_PX)
    problems.push(`chart labels ${m.medianLabel.toFixed(1)} px tall (median)`);
  const isDoc = /\/docs\//.test(path);
  if (isDoc && device === "desktop" && !(m.sidebar && m.breadcrumb && m.activeHref === path))
    problems.push(
      `not in the sidebar (sidebar ${m.sidebar}, breadcrumb ${m.breadcrumb}, active ${m.activeHref})`,
    );
  report(
    problems.length === 0,
    `layout of ${where}`,
    problems.join(" | ") ||
      `${m.charts} charts${m.medianLabel ? `, labels ${m.medianLabel.toFixed(1)} px` : ""}`,
  );
  // JPEG: the longest pages run past 13,000 px, and PNG encoding them dominates the run.
  await page.screenshot({
    path: join(shotDir, `${slug(path)}-${device}.jpg`),
    fullPage: true,
    type: "jpeg",
    quality: 70,
  });
  await page.close();
}

/** Types `query` into the navbar search and returns the first suggestion's link. */
async function firstSearchResult(context, origin, home, query) {
  const page = await context.newPage();
  await page.goto(origin + home, { waitUntil: "load" });
  const input = page.locator('input[type="search"], .navbar__search-input').first();
  await input.waitFor({ state: "visible", timeout: 10_000 });
  await input.click();
  await input.fill(query);
  const first = page.locator('[role="listbox"] [role="option"], .aa-suggestion').first();
  await first.waitFor({ state: "visible", timeout: 15_000 });
  const text = (await first.innerText()).replace(/\s+/g, " ").trim();
  await page.screenshot({ path: join(shotDir, `search-${query}.png`) });
  // The suggestions are not links: choosing one navigates, so choose it and read where it went.
  await Promise.all([
    page.waitForURL((url) => url.pathname !== home, { timeout: 10_000 }),
    first.click(),
  ]);
  const href = new URL(page.url()).pathname.replace(/\/$/, "");
  await page.close();
  return { href, text };
}

async function main() {
  if (!existsSync(join(buildDir, "404.html"))) {
    console.error(
      `test-site-layout: no built site in ${buildDir}; run \`npm run site:build\` first`,
    );
    process.exit(1);
  }
  const timer = setTimeout(() => {
    console.error(`test-site-layout: over ${SCRIPT_LIMIT_MS / 1000} s, stopping`);
    process.exit(1);
  }, SCRIPT_LIMIT_MS);
  rmSync(shotDir, { recursive: true, force: true });
  mkdirSync(shotDir, { recursive: true });
  const baseUrl = baseUrlOf(buildDir);
  const pages = pagesToCheck(builtPages(baseUrl));
  const server = await startServer(baseUrl);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`test-site-layout: ${pages.length} pages at 1280 px and 390 px`);
  const browser = await launchChromium();
  try {
    for (const [device, options] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ ...options, colorScheme: "light" });
      // Two pages at a time: page loads wait on the network and the compositor as well as the CPU.
      const queue = [...pages];
      const lane = async () => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          await checkPage(context, origin, path, device);
        }
      };
      await Promise.all([lane(), lane()]);
      await context.close();
    }
    if (!only) {
      const context = await browser.newContext(VIEWPORTS.desktop);
      for (const query of SEARCHES) {
        const hit = await firstSearchResult(context, origin, baseUrl, query).catch((error) => ({
          href: "",
          text: error.message.split("\n")[0],
        }));
        report(
          /\/docs\/notebooks\/\d+-/.test(hit.href),
          `search's first result for "${query}" is a chapter`,
          `${hit.href || "no link"} — ${hit.text.slice(0, 80)}`,
        );
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
    clearTimeout(timer);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    `test-site-layout: ${results.length - failed}/${results.length} checks passed; screenshots in ${shotDir}`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
