// Tests of the notebook → MDX converter: every MDX hazard of FACTS.md ("Site") in a hand-written
// notebook, compiled by MDX 3 with remark-math + rehype-katex (as the site does) and rendered
// to static HTML with React, then checked for what a reader must see.
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluate } from "@mdx-js/mdx";
import * as runtime from "react/jsx-runtime";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import remarkMath from "remark-math";
import rehypeKatex from "rehype-katex";
import {
  escapeInline,
  escapeMarkdown,
  fenceFor,
  notebookToMdx,
  prefixIds,
  renderOutput,
} from "./notebook-mdx.mjs";

const markdown = (source) => ({ cell_type: "markdown", metadata: {}, source });
const code = (source, outputs = []) => ({
  cell_type: "code",
  metadata: {},
  source,
  outputs,
  execution_count: 1,
});
const notebook = (cells) => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const page = {
  id: "03-fixture",
  position: 3,
  download: "/notebooks/03-fixture.ipynb",
  script: "/notebooks/03-fixture.ts",
  execution: {
    lenet5: "0.1.0",
    tfjs: "4.22.0",
    backend: "wasm",
    node: "20.20.2",
    date: "2026-01-02T03:04:05Z",
  },
};

// Stand-ins for the site's components: they render their props the way the real ones do.
const components = {
  NotebookInfo: ({ download, script, execution }) =>
    createElement(
      "aside",
      { "data-download": download, "data-script": script },
      `executed ${execution.date} on ${execution.backend}`,
    ),
  NotebookOutput: (props) =>
    props.kind === "svg" || props.kind === "html"
      ? createElement("div", {
          "data-kind": props.kind,
          dangerouslySetInnerHTML: { __html: props.html },
        })
      : props.kind === "image"
        ? createElement("img", { src: props.src, alt: props.alt })
        : createElement("pre", { "data-kind": props.kind }, props.text),
};

/** Compiles a page's MDX as the site does and renders it to static HTML. */
async function render(mdx) {
  // The page imports the real components from @site; the test passes stand-ins instead.
  const source = mdx.replace(/^import .*@site\/src\/components\/Notebook.*$/m, "");
  const { default: Content } = await evaluate(source, {
    ...runtime,
    remarkPlugins: [remarkMath],
    rehypePlugins: [rehypeKatex],
  });
  return renderToStaticMarkup(createElement(Content, { components }));
}

const hazards = notebook([
  markdown("# 3 · Hazards: every one of them\n\nThe intro paragraph."),
  markdown(
    [
      "Braces {x} and {a: 1} stay text; so does } alone.",
      "Less-than: a < b, and <div>not a tag</div>, and <pre>raw pre</pre>.",
      "import foo from 'bar'",
      "export const x = 1;",
      "  import indented too",
      "Money: \\$5 and \\$10, next to math $x_{in} < y$ and $$z^{2}$$.",
      "<!-- a hidden comment -->Visible after the comment.",
      "Code `{a} <b>` and ``co`de`` stay code.",
      "An autolink <https://example.org/x> and [chapter 4](04-c3-table-i.ipynb).",
      "A lone dollar $ stays a dollar.",
    ].join("\n"),
  ),
  markdown("$$\n\\frac{a}{b} < \\sum_{i} x_i\n$$\n\n$$ \\int_0^1 f $$"),
  markdown('```ts\nimport { x } from "y"; // {braces} <in> fenced code\n```'),
  code("const s = `template ${1}`;\nconsole.log({ s }, 1 < 2);", [
    {
      output_type: "stream",
      name: "stdout",
      text: ["{ s: 'template 1' } true\n", "<b>not bold</b>\n"],
    },
    { output_type: "stream", name: "stderr", text: "\u001b[31mwarning {red}\u001b[0m\n" },
    {
      output_type: "error",
      ename: "TypeError",
      evalue: "x is not a function",
      traceback: ["\u001b[0;31mTypeError\u001b[0m: x is not a function", "    at <anonymous>"],
    },
    {
      output_type: "display_data",
      metadata: {},
      data: {
        "image/svg+xml":
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><clipPath id="clip"><rect width="5" height="5"/></clipPath><text clip-path="url(#clip)">chart {label} &lt; 3</text></svg>',
        "text/plain": "<svg>",
      },
    },
    {
      output_type: "display_data",
      metadata: {},
      data: { "text/html": ["<table><tr><td>{cell}</td></tr></table>"] },
    },
    {
      output_type: "display_data",
      metadata: {},
      data: { "image/png": "iVBORw0KGgo=\n", "text/plain": "a figure" },
    },
    {
      output_type: "execute_result",
      metadata: {},
      data: { "text/plain": "[ 1, 2 ] {}" },
      execution_count: 1,
    },
  ]),
  code(""),
]);

test("a notebook with every MDX hazard compiles and renders what the reader should see", async () => {
  const { mdx, title, label, description } = notebookToMdx(hazards, page);
  assert.equal(title, "3 · Hazards: every one of them");
  assert.equal(label, "3 · Hazards");
  assert.equal(description, "The intro paragraph.");
  const html = await render(mdx);
  // Markdown text, literally.
  assert.match(html, /Braces \{x\} and \{a: 1\} stay text; so does \} alone\./);
  assert.match(
    html,
    /a &lt; b, and &lt;div&gt;not a tag&lt;\/div&gt;, and &lt;pre&gt;raw pre&lt;\/pre&gt;/,
  );
  assert.match(html, /import foo from &#x27;bar&#x27;/);
  assert.match(html, /export const x = 1;/);
  assert.match(html, /import indented too/);
  assert.match(html, /Money: \$5 and \$10, next to math/);
  assert.doesNotMatch(html, /hidden comment/);
  assert.match(html, /Visible after the comment\./);
  assert.match(html, /<code>\{a\} &lt;b&gt;<\/code>/);
  assert.match(html, /<code>co`de<\/code>/);
  assert.match(html, /<a href="https:\/\/example.org\/x">https:\/\/example.org\/x<\/a>/);
  assert.match(html, /href="\.\/04-c3-table-i\.mdx"/);
  assert.match(html, /A lone dollar \$ stays a dollar\./);
  // Math: inline, inline display, block and one-line block all go through KaTeX.
  const formulas = html.match(/class="katex"/g) ?? [];
  assert.equal(formulas.length, 4, "x_{in} < y, z^{2}, the fraction, the integral");
  assert.equal((html.match(/class="katex-display"/g) ?? []).length, 2);
  assert.match(html, /<annotation encoding="application\/x-tex">x_\{in\} &lt; y<\/annotation>/);
  // Fenced code in markdown and code cells: literal.
  assert.match(html, /import \{ x \} from &quot;y&quot;; \/\/ \{braces\} &lt;in&gt; fenced code/);
  assert.match(html, /const s = `template \$\{1\}`;/);
  // Outputs, all in the static HTML.
  assert.match(
    html,
    /<pre data-kind="stream">\{ s: &#x27;template 1&#x27; \} true\n&lt;b&gt;not bold&lt;\/b&gt;<\/pre>/,
  );
  assert.match(html, /<pre data-kind="stderr">warning \{red\}<\/pre>/);
  assert.match(
    html,
    /<pre data-kind="error">TypeError: x is not a function\n {4}at &lt;anonymous&gt;<\/pre>/,
  );
  assert.match(html, /<div data-kind="svg"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.doesNotMatch(html, /<\?xml/);
  assert.match(
    html,
    /<clipPath id="c4o3-clip">.*clip-path="url\(#c4o3-clip\)">chart \{label\} &lt; 3/,
  );
  assert.match(html, /<div data-kind="html"><table><tr><td>\{cell\}<\/td><\/tr><\/table><\/div>/);
  assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="a figure"\/>/);
  assert.match(html, /<pre data-kind="stream">\[ 1, 2 \] \{\}<\/pre>/);
  // The execution box sits under the title.
  assert.match(
    html,
    /<h1[^>]*>3 · Hazards: every one of them<\/h1>\s*<aside data-download="\/notebooks\/03-fixture.ipynb" data-script="\/notebooks\/03-fixture.ts">executed 2026-01-02T03:04:05Z on wasm<\/aside>/,
  );
});

test("front matter: title, label and chapter position for the sidebar", () => {
  const { mdx } = notebookToMdx(hazards, page);
  const front = mdx.split("---")[1];
  assert.match(front, /^title: "3 · Hazards: every one of them"$/m);
  assert.match(front, /^sidebar_label: "3 · Hazards"$/m);
  assert.match(front, /^sidebar_position: 3$/m);
});

test("a notebook without a title gets its id as the heading", async () => {
  const { mdx, title } = notebookToMdx(notebook([markdown("Just text {x}.")]), page);
  assert.equal(title, "03-fixture");
  const html = await render(mdx);
  assert.match(html, /<h1>03-fixture<\/h1>/);
  assert.match(html, /Just text \{x\}\./);
});

test("escapeInline: each hazard on its own", () => {
  assert.equal(escapeInline("{a}"), "\\{a\\}");
  assert.equal(escapeInline("a < b"), "a &lt; b");
  assert.equal(escapeInline("import x"), "&#105;mport x");
  assert.equal(escapeInline("text\nexport y"), "text\n&#101;xport y");
  assert.equal(escapeInline("important"), "important"); // a word starting with "import" is fine
  assert.equal(escapeInline("\\$1 and $x$"), "&#36;1 and $x$");
  assert.equal(escapeInline("`{x}`"), "`{x}`");
  assert.equal(escapeInline("$\\{x\\}$"), "$\\{x\\}$"); // math passes through
  assert.equal(escapeInline("\\*not emphasis\\*"), "\\*not emphasis\\*");
  assert.equal(escapeInline("an unclosed `tick {x}"), "an unclosed &#96;tick \\{x\\}");
  // Inline math does not run on past a blank line.
  assert.equal(escapeInline("$a\n\nb$"), "&#36;a\n\nb&#36;");
});

test("escapeMarkdown: HTML comments dropped, fences and display math untouched", () => {
  assert.equal(escapeMarkdown("a<!-- x\ny -->b"), "ab");
  assert.equal(escapeMarkdown("~~~\n{x} <y>\n~~~\n{z}"), "~~~\n{x} <y>\n~~~\n\\{z\\}");
  assert.equal(escapeMarkdown("$$\n\\frac{a}{b}\n$$"), "$$\n\\frac{a}{b}\n$$");
  assert.equal(escapeMarkdown("$$ x^{2} $$"), "$$\nx^{2}\n$$");
  assert.equal(
    escapeMarkdown("see [the guide](../docs/training.md)"),
    "see [the guide](../training.md)",
  );
});

test("fenceFor: a fence longer than any backtick run in the code", () => {
  assert.equal(fenceFor("plain"), "```");
  assert.equal(fenceFor("a ``` b"), "````");
  assert.equal(fenceFor("`````"), "``````");
});

test("prefixIds: ids and their references renamed together", () => {
  const svg =
    '<svg><defs><clipPath id="a.1"/></defs><use href="#a.1"/><g clip-path="url(#a.1)"/></svg>';
  assert.equal(
    prefixIds(svg, "p"),
    '<svg><defs><clipPath id="p-a.1"/></defs><use href="#p-a.1"/><g clip-path="url(#p-a.1)"/></svg>',
  );
  assert.equal(prefixIds("<svg/>", "p"), "<svg/>");
});

test("renderOutput: empty streams and unknown outputs render nothing", () => {
  assert.equal(renderOutput({ output_type: "stream", name: "stdout", text: "\n" }, "p"), null);
  assert.equal(renderOutput({ output_type: "display_data", data: {} }, "p"), null);
  assert.equal(renderOutput({ output_type: "update_display_data", data: {} }, "p"), null);
});
