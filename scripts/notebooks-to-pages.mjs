#!/usr/bin/env node
// `npm run site:prepare` (first step): turns every executed notebook into a page of the site.
//
//   notebooks/NN-name.ipynb ──(executed by scripts/test-notebooks.mjs)──► test-output/notebooks/
//   test-output/notebooks/NN-name.ipynb ──► docs/notebooks/NN-name.mdx (the page, generated)
//                                      └──► website/static/notebooks/NN-name.ipynb (download)
//   notebooks/NN-name.ipynb ──► website/static/notebooks/NN-name.ts ("Download as a script": the
//                              cells as one script for a learner's own project, lib/notebook-script.mjs)
//
// Notebooks whose executed copy is missing or older than the source are executed first (by
// scripts/test-notebooks.mjs, which provisions Jupyter), so a fresh clone needs nothing else.
// Each page says which versions executed it, read from the NN-name.meta.json that
// test-notebooks.mjs writes beside the copy (or, for an older copy without one, from the copy's
// date, its own output and the installed packages). Pages, downloads and the chapter list for the
// landing page (website/src/generated/chapters.json) are generated, not committed.
//
//   node scripts/notebooks-to-pages.mjs [--no-execute]
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { joinSource, notebookToMdx } from "./lib/notebook-mdx.mjs";
import { notebookToScript } from "./lib/notebook-script.mjs";

const root = new URL("..", import.meta.url).pathname;
const notebooksDir = join(root, "notebooks");
const executedDir = join(root, "test-output", "notebooks");
const pagesDir = join(root, "docs", "notebooks");
const downloadsDir = join(root, "website", "static", "notebooks");
const generatedDir = join(root, "website", "src", "generated");
const { values } = parseArgs({ options: { "no-execute": { type: "boolean", default: false } } });

const notebooks = readdirSync(notebooksDir)
  .filter((name) => /^\d+-.*\.ipynb$/.test(name))
  .sort();
if (notebooks.length === 0) throw new Error("notebooks-to-pages: no notebooks/NN-*.ipynb found");

const stale = notebooks.filter((name) => {
  const executed = join(executedDir, name);
  return (
    !existsSync(executed) || statSync(executed).mtimeMs < statSync(join(notebooksDir, name)).mtimeMs
  );
});
if (stale.length > 0 && !values["no-execute"]) {
  console.log(
    `notebooks-to-pages: executing ${stale.length} notebook(s) first: ${stale.join(", ")}`,
  );
  const run = spawnSync(process.execPath, [join(root, "scripts", "test-notebooks.mjs"), ...stale], {
    cwd: root,
    stdio: "inherit",
  });
  if (run.status !== 0) {
    console.error("notebooks-to-pages: a notebook failed to execute (see above); no pages written");
    process.exit(1);
  }
}
const missing = notebooks.filter((name) => !existsSync(join(executedDir, name)));
if (missing.length > 0) {
  console.error(`notebooks-to-pages: no executed copy of ${missing.join(", ")}`);
  process.exit(1);
}

const requireFromNotebooks = createRequire(join(notebooksDir, "package.json"));
const installed = (name) => {
  try {
    return JSON.parse(readFileSync(requireFromNotebooks.resolve(`${name}/package.json`), "utf8"))
      .version;
  } catch {
    return "unknown";
  }
};

/** Who executed a notebook: its .meta.json, or what the copy and this machine say. */
function execution(name, notebook) {
  const metaFile = join(executedDir, name.replace(/\.ipynb$/, ".meta.json"));
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, "utf8"));
    return {
      lenet5: meta.lenet5,
      tfjs: meta.tfjs,
      backend: meta.backend,
      node: meta.node,
      date: meta.executedAt,
    };
  }
  const printed = notebook.cells
    .flatMap((cell) => cell.outputs ?? [])
    .map((output) => joinSource(output.text))
    .join("\n");
  return {
    lenet5: JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version,
    tfjs: installed("@tensorflow/tfjs-core"),
    backend: /tfjs backend: (\w+)/.exec(printed)?.[1] ?? "unknown",
    node: process.versions.node,
    date: statSync(join(executedDir, name)).mtime.toISOString(),
  };
}

rmSync(pagesDir, { recursive: true, force: true });
rmSync(downloadsDir, { recursive: true, force: true });
mkdirSync(pagesDir, { recursive: true });
mkdirSync(downloadsDir, { recursive: true });

/**
 * One line about a chapter, of the same kind for every chapter (the home page's cards and the
 * chapter list): its title's subtitle, else its tagline (an italic line under the title), else
 * the first sentence of its introduction — capitalised, without a closing full stop.
 */
function summary(title, tagline, description) {
  const text = title.includes(": ")
    ? title.split(": ").slice(1).join(": ")
    : (tagline ?? /^.*?[.!?](?=\s|$)/.exec(description)?.[0] ?? description);
  const line = text.replace(/[.:;,]$/, "");
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/** The italic line right under a notebook's title, if it has one. */
function taglineOf(notebook) {
  const first = notebook.cells.find((cell) => cell.cell_type === "markdown");
  const source = first ? [].concat(first.source).join("") : "";
  return /^#[^\n]*\n+\*([^*\n]+)\*[ \t]*$/m.exec(source)?.[1].trim();
}

const chapters = [];
notebooks.forEach((name, position) => {
  const id = name.replace(/\.ipynb$/, "");
  const executed = join(executedDir, name);
  const notebook = JSON.parse(readFileSync(executed, "utf8"));
  const { mdx, title, label, description } = notebookToMdx(notebook, {
    id,
    position,
    download: `/notebooks/${name}`,
    script: `/notebooks/${id}.ts`,
    execution: execution(name, notebook),
  });
  writeFileSync(join(pagesDir, `${id}.mdx`), mdx);
  copyFileSync(executed, join(downloadsDir, name));
  // The script is made from the source notebook: the code is the same, outputs play no part.
  const source = JSON.parse(readFileSync(join(notebooksDir, name), "utf8"));
  writeFileSync(join(downloadsDir, `${id}.ts`), notebookToScript(source, { id, title }));
  chapters.push({
    id,
    title,
    label,
    description,
    summary: summary(title, taglineOf(source), description),
    path: `/docs/notebooks/${id}`,
  });
});
// The chapter list, the Notebooks section's first page.
const NUMBER_WORDS = [
  "Zero",
  "One",
  "Two",
  "Three",
  "Four",
  "Five",
  "Six",
  "Seven",
  "Eight",
  "Nine",
  "Ten",
  "Eleven",
  "Twelve",
  "Thirteen",
  "Fourteen",
  "Fifteen",
  "Sixteen",
];
const chapterCount = NUMBER_WORDS[chapters.length] ?? String(chapters.length);
writeFileSync(
  join(pagesDir, "index.md"),
  [
    "---",
    "title: The notebooks",
    "sidebar_label: Overview",
    // Previous/next links name the page by its title, not the sidebar's "Overview".
    "pagination_label: The notebooks",
    `description: ${chapterCount} executed TypeScript notebooks on LeNet-5, one per part of the network and then its training.`,
    "---",
    "",
    "# The notebooks",
    "",
    `${chapterCount} chapters, one per part of the network and then its training, each a TypeScript notebook that imports`,
    "lenet5 by its package name. The pages below show every notebook as it ran — prose, code and",
    "outputs — and each links to its `.ipynb`. To run them yourself, `npm ci && npm start` opens",
    "them in Jupyter (see [Getting started](../getting-started.md)).",
    "",
    ...chapters.map(
      (chapter) =>
        `${chapters.indexOf(chapter)}. **[${chapter.label.replace(/^\d+\s*·\s*/, "")}](${chapter.id}.mdx)** — ${chapter.summary}`,
    ),
    "",
  ].join("\n"),
);

// The landing page lists the chapters from this file.
mkdirSync(generatedDir, { recursive: true });
writeFileSync(join(generatedDir, "chapters.json"), `${JSON.stringify(chapters, null, 2)}\n`);
console.log(
  `notebooks-to-pages: ${chapters.length} pages in ${relative(root, pagesDir)}/, downloads in ${relative(root, downloadsDir)}/`,
);
