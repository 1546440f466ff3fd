#!/usr/bin/env node
// After `docusaurus build` (website's own build script): tidies the breadcrumbs of the local
// search's index (website/build/search-index*.json, @easyops-cn/docusaurus-search-local).
//
// The plugin builds a page's breadcrumb from the active navbar item and the active sidebar
// categories, and the search box shows it followed by the page's title. Where the navbar item, the
// category and the page share a name, results read "Notebooks › Notebooks" or "Fidelity ledger ›
// Fidelity ledger › MNIST test error". Here each breadcrumb loses repeated neighbours and any
// trailing entry that repeats the page's title. Only breadcrumbs change: the search index proper
// (what a query matches) is left as it is.
//
//   node scripts/tidy-search-index.mjs [BUILD_DIR]     (default website/build)
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tidyBreadcrumb } from "./lib/search-breadcrumbs.mjs";

const root = new URL("..", import.meta.url).pathname;
const build = resolve(process.argv[2] ?? join(root, "website", "build"));
const files = readdirSync(build).filter((name) => /^search-index.*\.json$/.test(name));
if (files.length === 0) {
  console.error(`tidy-search-index: no search-index*.json in ${build}`);
  process.exit(1);
}

let changed = 0;
for (const name of files) {
  const file = join(build, name);
  const parts = JSON.parse(readFileSync(file, "utf8"));
  for (const part of parts)
    for (const doc of part.documents ?? []) {
      if (!Array.isArray(doc.b)) continue;
      const tidy = tidyBreadcrumb(doc.b, doc.t);
      if (tidy.length !== doc.b.length) {
        doc.b = tidy;
        changed++;
      }
    }
  writeFileSync(file, JSON.stringify(parts));
}
console.log(`tidy-search-index: ${changed} breadcrumbs tidied in ${files.join(", ")}`);
