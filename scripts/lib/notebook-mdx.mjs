// Turns one executed Jupyter notebook (nbformat 4, parsed JSON) into an MDX page for the
// Docusaurus site: markdown cells become markdown, safe under MDX 3 with remark-math; code cells
// become fenced TypeScript blocks; every output (stdout/stderr text, errors, SVG, HTML, PNG,
// JPEG, plain text, LaTeX, markdown) becomes static markup in the built HTML.
//
// MDX hazards handled in markdown cells (docs/FACTS "Site"): `{` and `}` (JS expressions), `<`
// (JSX), lines starting with `import`/`export` (ESM), `\$` beside `$` (remark-math), raw `<pre>`
// and other HTML (shown as text), HTML comments (dropped). Code spans, fenced code and math
// ($…$, $$…$$) pass through untouched: MDX and remark-math read them literally. Outputs never go
// through markdown: they are JSON string literals in JSX props, so no character can break them.
// Pure functions only: reading and writing files is scripts/notebooks-to-pages.mjs's job.

/** The text of a notebook field that nbformat stores as a string or a list of lines. */
export const joinSource = (source) => (Array.isArray(source) ? source.join("") : (source ?? ""));

/** Removes ANSI colour codes (tslab's stack traces carry them). */
export const stripAnsi = (text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ""); // eslint-disable-line no-control-regex

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Escapes a run of markdown text (no fences, no display-math blocks) for MDX, leaving code spans
 * and inline math as they are.
 */
export function escapeInline(text) {
  let out = "";
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    if (lineStart) {
      // ESM is recognised at the start of a line: `import x` / `export y`.
      const lead = /^[ \t]*/.exec(text.slice(i))[0];
      const word = /^(import|export)\b/.exec(text.slice(i + lead.length));
      if (word) {
        out += `${lead}&#${word[1].charCodeAt(0)};${word[1].slice(1)}`;
        i += lead.length + word[1].length;
        lineStart = false;
        continue;
      }
    }
    lineStart = false;
    if (c === "\n") {
      out += c;
      i += 1;
      lineStart = true;
      continue;
    }
    if (c === "\\") {
      const next = text[i + 1];
      if (next === "$") {
        out += "&#36;"; // a literal dollar that remark-math cannot mistake for a delimiter
        i += 2;
      } else if (next !== undefined && ASCII_PUNCTUATION.test(next)) {
        out += c + next; // already a markdown escape; MDX honours it
        i += 2;
      } else {
        out += "\\\\";
        i += 1;
      }
      continue;
    }
    if (c === "`") {
      const run = /^`+/.exec(text.slice(i))[0];
      const close = findCodeSpanEnd(text, i + run.length, run.length);
      if (close >= 0) {
        out += text.slice(i, close + run.length);
        i = close + run.length;
      } else {
        out += run.replace(/`/g, "&#96;");
        i += run.length;
      }
      continue;
    }
    if (c === "$") {
      const delimiter = text[i + 1] === "$" ? "$$" : "$";
      const close = findMathEnd(text, i + delimiter.length, delimiter);
      if (close >= 0) {
        out += text.slice(i, close + delimiter.length);
        i = close + delimiter.length;
      } else {
        out += "&#36;".repeat(delimiter.length);
        i += delimiter.length;
      }
      continue;
    }
    if (c === "{" || c === "}") {
      out += `\\${c}`;
      i += 1;
      continue;
    }
    if (c === "<") {
      const autolink = /^<((?:https?|mailto):[^\s<>]+)>/.exec(text.slice(i));
      if (autolink) {
        out += `[${autolink[1]}](${autolink[1]})`;
        i += autolink[0].length;
      } else {
        out += "&lt;";
        i += 1;
      }
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/** Index of the backtick run of exactly `length` closing a code span, or −1 (not past a blank line). */
function findCodeSpanEnd(text, from, length) {
  const re = /`+|\n[ \t]*\n/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0][0] === "\n") return -1;
    if (m[0].length === length) return m.index;
  }
  return -1;
}

/** Index of the unescaped `$` or `$$` closing inline math, or −1 (not past a blank line). */
function findMathEnd(text, from, delimiter) {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") {
      i += 1;
      continue;
    }
    if (text[i] === "\n" && /^\n[ \t]*\n/.test(text.slice(i))) return -1;
    if (text.startsWith(delimiter, i)) {
      if (delimiter === "$" && text[i + 1] === "$") return -1;
      return i === from ? -1 : i;
    }
  }
  return -1;
}

/**
 * Rewrites links between notebooks (`04-c3-table-i.ipynb`) to the pages made from them, and
 * links into the repository's docs/ folder to the docs pages.
 */
export function rewriteLinks(markdown) {
  return markdown
    .replace(
      /\]\((?:\.\/)?([\w.-]+)\.ipynb(#[^)]*)?\)/g,
      (_, name, hash = "") => `](./${name}.mdx${hash})`,
    )
    .replace(/\]\(\.\.\/docs\/([^)]+)\)/g, "](../$1)");
}

/** A markdown cell's source, made safe for MDX. */
export function escapeMarkdown(source) {
  const text = rewriteLinks(source.replace(/<!--[\s\S]*?-->/g, ""));
  const lines = text.split("\n");
  const out = [];
  let prose = [];
  const flush = () => {
    if (prose.length > 0) out.push(escapeInline(prose.join("\n")));
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      flush();
      const marker = fence[1];
      out.push(line);
      for (i += 1; i < lines.length; i++) {
        out.push(lines[i]);
        const close = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
        if (close.test(lines[i])) break;
      }
      continue;
    }
    const trimmed = line.trim();
    const oneLine = /^\$\$(.+)\$\$$/.exec(trimmed);
    if (oneLine && !oneLine[1].includes("$$")) {
      // A display equation on one line: give it lines of its own so it renders as a block.
      flush();
      out.push("$$", oneLine[1].trim(), "$$");
      continue;
    }
    if (trimmed.startsWith("$$") && !trimmed.slice(2).includes("$$")) {
      flush();
      out.push(line);
      for (i += 1; i < lines.length; i++) {
        out.push(lines[i]);
        if (lines[i].includes("$$")) break;
      }
      continue;
    }
    prose.push(line);
  }
  flush();
  return out.join("\n");
}

/** A fence longer than any backtick run in `text`. */
export function fenceFor(text) {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** Prefixes every id in an SVG or HTML fragment so figures on one page cannot collide. */
export function prefixIds(markup, prefix) {
  const ids = new Set(Array.from(markup.matchAll(/\sid="([^"]+)"/g), (m) => m[1]));
  if (ids.size === 0) return markup;
  let result = markup.replace(/(\sid=")([^"]+)"/g, (_, start, id) => `${start}${prefix}-${id}"`);
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    result = result
      .replace(new RegExp(`url\\(#${escaped}\\)`, "g"), `url(#${prefix}-${id})`)
      .replace(new RegExp(`(href=")#${escaped}"`, "g"), `$1#${prefix}-${id}"`);
  }
  return result;
}

/** Drops an XML prolog or doctype before an inline SVG (they are invalid inside HTML). */
const inlineSvg = (svg) =>
  svg.replace(/^\s*<\?xml[^>]*\?>\s*/, "").replace(/^\s*<!DOCTYPE[^>]*>\s*/i, "");

/** One JSX element for one output, or null for an output with nothing to show. */
export function renderOutput(output, idPrefix) {
  const prop = (value) => JSON.stringify(value);
  switch (output.output_type) {
    case "stream": {
      const text = stripAnsi(joinSource(output.text)).replace(/\n$/, "");
      if (text.trim() === "") return null;
      const kind = output.name === "stderr" ? "stderr" : "stream";
      return `<NotebookOutput kind="${kind}" text={${prop(text)}} />`;
    }
    case "error": {
      const trace = (output.traceback ?? []).map(stripAnsi).join("\n");
      const text = trace || `${output.ename}: ${output.evalue}`;
      return `<NotebookOutput kind="error" text={${prop(text)}} />`;
    }
    case "display_data":
    case "execute_result": {
      const data = output.data ?? {};
      if (data["image/svg+xml"]) {
        const svg = prefixIds(inlineSvg(joinSource(data["image/svg+xml"])), idPrefix);
        return `<NotebookOutput kind="svg" html={${prop(svg)}} />`;
      }
      if (data["text/html"]) {
        const html = prefixIds(joinSource(data["text/html"]), idPrefix);
        return `<NotebookOutput kind="html" html={${prop(html)}} />`;
      }
      for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
        if (data[mime]) {
          const base64 = joinSource(data[mime]).replace(/\s/g, "");
          const alt = joinSource(data["text/plain"] ?? "notebook figure").slice(0, 200);
          return `<NotebookOutput kind="image" src={${prop(`data:${mime};base64,${base64}`)}} alt={${prop(alt)}} />`;
        }
      }
      if (data["text/latex"]) {
        const tex = joinSource(data["text/latex"])
          .trim()
          .replace(/^\$\$?|\$\$?$/g, "");
        return `\n$$\n${tex}\n$$\n`;
      }
      if (data["text/markdown"]) return `\n${escapeMarkdown(joinSource(data["text/markdown"]))}\n`;
      if (data["text/plain"]) {
        const text = stripAnsi(joinSource(data["text/plain"]));
        return `<NotebookOutput kind="stream" text={${prop(text)}} />`;
      }
      return null;
    }
    default:
      return null;
  }
}

/** The notebook's title (its first `# ` heading) and the markdown cell that holds it. */
export function notebookTitle(notebook, fallback) {
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "markdown") continue;
    const match = /^#\s+(.+)$/m.exec(joinSource(cell.source));
    if (match) return { title: match[1].trim(), cellIndex: index };
  }
  return { title: fallback, cellIndex: -1 };
}

/** Plain text of the first paragraph after the title, for the page's description. */
function description(markdown) {
  const paragraph = markdown
    .replace(/^#.*$/gm, "")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p.length > 0 && !/^[-*|>]|^\d+\./.test(p));
  if (!paragraph) return undefined;
  const plain = paragraph
    .replace(/\$([^$]*)\$/g, "$1")
    .replace(/[`*_]/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s+/g, " ");
  return plain.length > 200 ? `${plain.slice(0, 197).replace(/\s+\S*$/, "")}…` : plain;
}

/**
 * The whole MDX page of one notebook.
 * @param notebook parsed .ipynb (nbformat 4)
 * @param page { id, position, download (URL of the .ipynb), script (URL of the .ts, optional),
 *   execution ({ lenet5, tfjs, backend, node, date }) }
 * @returns { mdx, title, label, description }
 */
export function notebookToMdx(notebook, page) {
  const { title, cellIndex } = notebookTitle(notebook, page.id);
  // "4 · C3 and Table I: a convolution that does not see everything" → "4 · C3 and Table I".
  const label = title.split(/:\s/)[0].replace(/[*_`]/g, "");
  const plainTitle = title.replace(/[*_`]/g, "").replace(/\$/g, "");
  const titleSource = cellIndex >= 0 ? joinSource(notebook.cells[cellIndex].source) : "";
  const front = [
    "---",
    `title: ${JSON.stringify(plainTitle)}`,
    `sidebar_label: ${JSON.stringify(label)}`,
    `sidebar_position: ${page.position}`,
    ...(description(titleSource)
      ? [`description: ${JSON.stringify(description(titleSource))}`]
      : []),
    "---",
    "",
    `{/* Generated by scripts/notebooks-to-pages.mjs from notebooks/${page.id}.ipynb: do not edit. */}`,
    "",
    "import { NotebookInfo, NotebookOutput } from '@site/src/components/Notebook';",
    "",
  ];
  const script = page.script === undefined ? "" : ` script={${JSON.stringify(page.script)}}`;
  const info = `<NotebookInfo download={${JSON.stringify(page.download)}}${script} source={${JSON.stringify(
    `notebooks/${page.id}.ipynb`,
  )}} execution={${JSON.stringify(page.execution)}} />`;
  const body = [];
  if (cellIndex < 0) body.push(`# ${escapeInline(title)}`, "", info, "");
  notebook.cells.forEach((cell, index) => {
    const source = joinSource(cell.source);
    if (cell.cell_type === "markdown") {
      if (index === cellIndex) {
        // The title, then the execution box, then the rest of the cell.
        const lines = source.split("\n");
        const at = lines.findIndex((line) => /^#\s+/.test(line));
        const before = lines.slice(0, at).join("\n");
        const after = lines.slice(at + 1).join("\n");
        if (before.trim()) body.push(escapeMarkdown(before), "");
        body.push(`# ${escapeInline(lines[at].replace(/^#\s+/, ""))}`, "", info, "");
        if (after.trim()) body.push(escapeMarkdown(after), "");
      } else if (source.trim()) {
        body.push(escapeMarkdown(source), "");
      }
      return;
    }
    if (cell.cell_type !== "code" || source.trim() === "") return;
    const fence = fenceFor(source);
    body.push(`${fence}ts`, source.replace(/\n$/, ""), fence, "");
    const outputs = (cell.outputs ?? [])
      .map((output, n) => renderOutput(output, `c${index}o${n}`))
      .filter((rendered) => rendered !== null);
    if (outputs.length > 0) {
      body.push('<div className="notebook-outputs">', ...outputs, "</div>", "");
    }
  });
  return {
    mdx: `${[...front, ...body].join("\n").replace(/\n{3,}/g, "\n\n")}\n`,
    title: plainTitle,
    label,
    description: description(titleSource) ?? "",
  };
}
