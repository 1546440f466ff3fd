#!/usr/bin/env node
// Layout checks of the built site (website/build) in headless Chromium, at 1280×900 and on a
// 390×844 phone, each in the light and the dark colour scheme — what a reader sees, measured in
// the page:
//   - no page is wider than its viewport;
//   - no two text labels of a chart overlap (each <text>'s box, rotations included, against every
//     other in the same SVG);
//   - chart text stays legible on the phone (the median label at least MIN_LABEL_PX tall);
//   - chart labels and axis ticks stand out from what is behind them (contrast at least 3:1,
//     WCAG's bar for graphics), and the text of HTML outputs at least 4.5:1: nothing drawn in a
//     fixed colour vanishes into the dark page;
//   - display math, code, outputs and figures are never cut: what is wider than its block
//     scrolls inside it (overflow-x auto or scroll), nothing is clipped;
//   - every page of the docs (the API's member pages aside) is in the sidebar: it shows the
//     sidebar with its own entry active, and a breadcrumb;
//   - search's first result for "tanh", "Hessian" and "checkpoint" is a chapter, and no search
//     shows the same result twice or a breadcrumb with a name twice in a row.
// Screenshots of every page at both widths and in both schemes go to test-output/site-layout/.
// Usage: node scripts/test-site-layout.mjs [--build website/build] [--only PATH-SUBSTRING]
/* global document, getComputedStyle, DOMPoint, Element, innerWidth, innerHeight -- used inside page.evaluate */
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
/** Colour schemes every page is checked in. */
const SCHEMES = ["light", "dark"];
/** The median chart label's height on screen, in CSS pixels, below which a phone reader squints. */
const MIN_LABEL_PX = 8;
/** Searches whose first result must be a chapter. */
const CHAPTER_FIRST = ["tanh", "Hessian", "checkpoint"];
/** Searches whose results must hold no duplicate and no doubled breadcrumb ("Notebooks › Notebooks"). */
const SEARCHES = [
  ...CHAPTER_FIRST,
  "0.95%",
  "SDLM",
  "notebooks",
  "fidelity ledger",
  "API reference",
];
/** The whole script's time limit. */
// Every page four times (two widths, two schemes): about 5 min on an idle 2-core machine.
const SCRIPT_LIMIT_MS = 1_200_000;

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

  // Contrast: every chart label and axis tick against what is behind it — the filled shape under
  // it in the same SVG (a heat-map cell), else the page's background — and the text of HTML
  // outputs against theirs. Colours with alpha and opacities are composed over the background.
  const rgba = (css) => {
    const m = /rgba?\(([^)]+)\)/.exec(css ?? "");
    if (!m) return null;
    const [r, g, b, a = 1] = m[1]
      .split(/[,\s/]+/)
      .filter(Boolean)
      .map(Number);
    return { r, g, b, a };
  };
  const over = (top, alpha, bottom) => ({
    r: top.r * alpha + bottom.r * (1 - alpha),
    g: top.g * alpha + bottom.g * (1 - alpha),
    b: top.b * alpha + bottom.b * (1 - alpha),
  });
  const luminance = ({ r, g, b }) => {
    const lin = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // The opaque colour behind an HTML element: its own and its ancestors' backgrounds, composed.
  const htmlBackground = (el) => {
    const layers = [];
    for (let node = el; node && node instanceof Element; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let colour = { r: 255, g: 255, b: 255 };
    for (const layer of layers.reverse()) colour = over(layer, layer.a, colour);
    return colour;
  };
  const opacityOf = (el, svg) => {
    let alpha = 1;
    for (let node = el; node && node !== svg.parentElement; node = node.parentElement)
      alpha *= Number(getComputedStyle(node).opacity);
    return alpha;
  };
  // The fill of the shape under the middle of `el` in the same SVG, if it is filled and opaque.
  const shapeBehind = (el, svg) => {
    let box = el.getBoundingClientRect();
    const outside = (b) =>
      b.left + b.width / 2 < 0 ||
      b.top + b.height / 2 < 0 ||
      b.left + b.width / 2 >= innerWidth ||
      b.top + b.height / 2 >= innerHeight;
    // A wide chart scrolls sideways on a phone: bring the label into view to see what is under it.
    if (outside(box)) {
      el.scrollIntoView({ block: "center", inline: "center" });
      box = el.getBoundingClientRect();
      if (outside(box)) return undefined;
    }
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    for (const under of document.elementsFromPoint(x, y)) {
      if (
        under === el ||
        el.contains(under) ||
        under.tagName === "text" ||
        under.tagName === "tspan"
      )
        continue;
      if (!svg.contains(under) || under === svg) return null;
      if (under.tagName === "image") return "image";
      if (!["rect", "path", "circle", "polygon"].includes(under.tagName)) continue;
      const style = getComputedStyle(under);
      const fill = rgba(style.fill);
      const alpha = (fill?.a ?? 0) * Number(style.fillOpacity) * opacityOf(under, svg);
      if (fill && alpha >= 0.5) return over(fill, alpha, htmlBackground(svg));
    }
    return null;
  };
  const lowContrast = [];
  let contrastChecked = 0;
  charts.forEach((svg, chart) => {
    svg.scrollIntoView({ block: "center" });
    const page = htmlBackground(svg);
    const items = [
      ...[...svg.querySelectorAll("text")]
        .filter((t) => t.textContent.trim() !== "" && visible(t))
        .map((t) => ({
          el: t,
          what: `"${t.textContent.trim().slice(0, 24)}"`,
          paint: "fill",
          min: 3,
        })),
      ...[...svg.querySelectorAll('g[aria-label$="tick"] > *')].map((el) => ({
        el,
        what: `${el.parentElement.getAttribute("aria-label")}`,
        paint: "stroke",
        min: 3,
      })),
    ];
    for (const { el, what, paint, min } of items) {
      const style = getComputedStyle(el);
      const colour = rgba(style[paint]);
      if (!colour) continue;
      const behind = shapeBehind(el, svg);
      if (behind === "image" || behind === undefined) continue;
      const background = behind ?? page;
      const alpha =
        colour.a *
        Number(paint === "fill" ? style.fillOpacity : style.strokeOpacity) *
        opacityOf(el, svg);
      const c = ratio(over(colour, alpha, background), background);
      contrastChecked++;
      if (c < min) lowContrast.push(`chart ${chart + 1}: ${what} ${c.toFixed(2)}:1`);
    }
  });
  for (const el of scope.querySelectorAll('[data-output="html"] *, [data-output] pre')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
    if (!own || el.closest("svg") || !visible(el)) continue;
    const style = getComputedStyle(el);
    const colour = rgba(style.color);
    if (!colour) continue;
    const background = htmlBackground(el);
    const c = ratio(over(colour, colour.a * Number(style.opacity), background), background);
    contrastChecked++;
    if (c < 4.5)
      lowContrast.push(`output text "${el.textContent.trim().slice(0, 24)}" ${c.toFixed(2)}:1`);
  }

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
    lowContrast,
    contrastChecked,
    medianLabel: labelHeights.length ? labelHeights[Math.floor(labelHeights.length / 2)] : null,
    cut,
    sidebar: Boolean(document.querySelector(".theme-doc-sidebar-menu")),
    activeHref: active ? new URL(active.href).pathname.replace(/\/$/, "") : null,
    breadcrumb: Boolean(document.querySelector(".breadcrumbs")),
  };
}

const slug = (path) => path.replace(/^\/+|\/+$/g, "").replace(/[^a-zA-Z0-9_-]+/g, "_") || "home";

async function checkPage(context, origin, path, device, scheme) {
  const page = await context.newPage();
  await page.goto(origin + path, { waitUntil: "load" });
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const m = await page.evaluate(measure);
  const where = `${path} (${device}${scheme === "dark" ? ", dark" : ""})`;
  const problems = [];
  if (m.pageWidth > m.width + 1) problems.push(`page ${m.pageWidth} px wide in ${m.width}`);
  if (m.collisions.length)
    problems.push(
      `${m.collisions.length} label collisions: ${m.collisions.slice(0, 6).join("; ")}`,
    );
  if (m.lowContrast.length)
    problems.push(
      `${m.lowContrast.length} of ${m.contrastChecked} below contrast: ${m.lowContrast.slice(0, 6).join("; ")}`,
    );
  if (m.cut.length) problems.push(`cut without scrolling: ${m.cut.slice(0, 4).join("; ")}`);
  if (device === "phone" && m.medianLabel !== null && m.medianLabel < MIN_LABEL_PX)
    problems.push(`chart labels ${m.medianLabel.toFixed(1)} px tall (median)`);
  const isDoc = /\/docs\//.test(path);
  if (
    isDoc &&
    device === "desktop" &&
    scheme === "light" &&
    !(m.sidebar && m.breadcrumb && m.activeHref === path)
  )
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
    path: join(shotDir, `${slug(path)}-${device}${scheme === "dark" ? "-dark" : ""}.jpg`),
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
  const options = page.locator('[role="listbox"] [role="option"], .aa-suggestion');
  const first = options.first();
  await first.waitFor({ state: "visible", timeout: 15_000 });
  const text = (await first.innerText()).replace(/\s+/g, " ").trim();
  const all = (await options.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
  // Each result's path line alone (the plugin's hitPath span), for the breadcrumb check.
  const paths = await options.evaluateAll((els) =>
    els.map((el) => el.querySelector('[class*="hitPath"]')?.textContent.trim() ?? ""),
  );
  await page.screenshot({ path: join(shotDir, `search-${query}.png`) });
  // The suggestions are not links: choosing one navigates, so choose it and read where it went.
  await Promise.all([
    page.waitForURL((url) => url.pathname !== home, { timeout: 10_000 }),
    first.click(),
  ]);
  const href = new URL(page.url()).pathname.replace(/\/$/, "");
  await page.close();
  return { href, text, all, paths };
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
    // Every page in both colour schemes: the site follows the reader's (respectPrefersColorScheme).
    for (const [device, options, scheme] of Object.entries(VIEWPORTS).flatMap(([d, o]) =>
      SCHEMES.map((c) => [d, o, c]),
    )) {
      const context = await browser.newContext({ ...options, colorScheme: scheme });
      // Two pages at a time: page loads wait on the network and the compositor as well as the CPU.
      const queue = [...pages];
      const lane = async () => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          await checkPage(context, origin, path, device, scheme);
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
        if (CHAPTER_FIRST.includes(query))
          report(
            /\/docs\/notebooks\/\d+-/.test(hit.href),
            `search's first result for "${query}" is a chapter`,
            `${hit.href || "no link"} — ${hit.text.slice(0, 80)}`,
          );
        // Each result shows its text and its page's place ("Notebooks › 8 · Training … ›
        // 2. SDLM"): the same shown twice is a duplicate; a name twice in a row, a doubled crumb.
        const all = hit.all ?? [];
        const repeats = all.filter((t, i) => all.indexOf(t) !== i);
        const doubled = (hit.paths ?? []).filter((path) =>
          path.split(" › ").some((crumb, i, crumbs) => i > 0 && crumb === crumbs[i - 1]),
        );
        report(
          all.length > 0 && repeats.length === 0 && doubled.length === 0,
          `search for "${query}": no duplicate results, no doubled breadcrumbs`,
          `${all.length} results` +
            (repeats.length ? `; repeated: ${repeats.slice(0, 3).join(" | ")}` : "") +
            (doubled.length ? `; doubled: ${doubled.slice(0, 3).join(" | ")}` : ""),
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
