#!/usr/bin/env node
// Keeps committed notebooks clean: no outputs, no execution counts, no editor or run metadata
// (timings, widget state, collapsed/scrolled flags, language_info versions). Outputs belong to
// test-output/notebooks/, which `npm run test:notebooks` writes and the website reuses.
//
//   node scripts/check-notebooks-clean.mjs          fails, naming each notebook and what is wrong
//   node scripts/check-notebooks-clean.mjs --fix    strips it (`npm run notebooks:clean`)
//
// Kept: notebook metadata `kernelspec` (must be tslab's) and `language_info.name`; cell metadata `tags` and
// `jupyter` (source_hidden/outputs_hidden). Files are written as Jupyter writes them (sorted
// keys, one-space indent), so saving a clean notebook in Jupyter changes nothing else.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const notebooksDir = join(root, "notebooks");
const fix = process.argv.includes("--fix");

const KEPT_CELL_METADATA = new Set(["tags", "jupyter"]);
const EXPECTED_KERNELSPEC = { display_name: "TypeScript", language: "typescript", name: "tslab" };

function notebookFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return notebookFiles(path);
    return entry.name.endsWith(".ipynb") ? [path] : [];
  });
}

/** Returns the clean notebook and the list of problems found in the original. */
function clean(notebook) {
  const problems = [];
  const cells = notebook.cells.map((cell, index) => {
    const out = { ...cell };
    if (cell.cell_type === "code") {
      if (cell.outputs?.length) problems.push(`cell ${index} has ${cell.outputs.length} output(s)`);
      if (cell.execution_count !== null && cell.execution_count !== undefined) {
        problems.push(`cell ${index} has execution_count ${cell.execution_count}`);
      }
      out.outputs = [];
      out.execution_count = null;
    }
    if (cell.cell_type !== "code" && "outputs" in cell) delete out.outputs;
    const metadata = {};
    for (const [key, value] of Object.entries(cell.metadata ?? {})) {
      if (KEPT_CELL_METADATA.has(key)) metadata[key] = value;
      else problems.push(`cell ${index} has metadata "${key}"`);
    }
    out.metadata = metadata;
    return out;
  });

  const given = notebook.metadata ?? {};
  const metadata = { kernelspec: EXPECTED_KERNELSPEC };
  if (given.language_info !== undefined) metadata.language_info = { name: "typescript" };
  for (const key of Object.keys(given)) {
    if (key !== "kernelspec" && key !== "language_info")
      problems.push(`notebook metadata "${key}"`);
  }
  if (JSON.stringify(sortKeys(given.kernelspec ?? {})) !== JSON.stringify(EXPECTED_KERNELSPEC)) {
    problems.push(`kernelspec is ${JSON.stringify(given.kernelspec)}, expected the tslab kernel`);
  }
  const languageKeys = Object.keys(given.language_info ?? {});
  if (
    languageKeys.some((key) => key !== "name") ||
    (languageKeys.length && given.language_info.name !== "typescript")
  ) {
    problems.push(`language_info has ${languageKeys.join(", ")}; keep only name: "typescript"`);
  }
  return { notebook: { ...notebook, metadata, cells }, problems };
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Jupyter's on-disk format: sorted keys, indent 1, a final newline. */
const serialise = (notebook) => JSON.stringify(sortKeys(notebook), null, 1) + "\n";

let dirty = 0;
const files = notebookFiles(notebooksDir).sort();
for (const file of files) {
  const name = relative(root, file);
  const text = readFileSync(file, "utf8");
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    console.error(`check-notebooks-clean: ${name} is not valid JSON: ${error.message}`);
    dirty++;
    continue;
  }
  const { notebook, problems } = clean(parsed);
  const cleanText = serialise(notebook);
  if (problems.length === 0 && cleanText !== text)
    problems.push("not in Jupyter's format (sorted keys, indent 1)");
  if (problems.length === 0) continue;
  if (fix) {
    writeFileSync(file, cleanText);
    console.log(`check-notebooks-clean: cleaned ${name} (${problems.length} fix(es))`);
  } else {
    dirty++;
    console.error(`check-notebooks-clean: ${name} is not clean:\n  - ${problems.join("\n  - ")}`);
  }
}
if (dirty > 0) {
  console.error(
    `check-notebooks-clean: ${dirty} notebook(s) to clean: run \`npm run notebooks:clean\``,
  );
  process.exit(1);
}
console.log(`check-notebooks-clean: ${files.length} notebook(s) ${fix ? "now " : ""}clean`);
