// The docs sidebar, in reading order; previous/next links at the foot of each page follow it,
// so the notebooks read as chapters 0 → 10. The notebook pages and the API pages are generated
// at build time (see docusaurus.config.mjs); the API sidebar is TypeDoc's own.
import { createRequire } from "node:module";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const typedocSidebar = fileURLToPath(new URL("../docs/api/typedoc-sidebar.cjs", import.meta.url));
const apiItems = existsSync(typedocSidebar) ? require(typedocSidebar) : [];
// The chapters, in file-name order (00-tour … 10-…), from scripts/notebooks-to-pages.mjs.
const notebooksDir = fileURLToPath(new URL("../docs/notebooks", import.meta.url));
const chapters = existsSync(notebooksDir)
  ? readdirSync(notebooksDir)
      .filter((name) => /^\d+-.*\.mdx$/.test(name))
      .sort()
      .map((name) => `notebooks/${name.replace(/\.mdx$/, "")}`)
  : [];
// The playground's own page (docs/playground.md) joins the sidebar when it is there.
const hasDoc = (id) => existsSync(fileURLToPath(new URL(`../docs/${id}.md`, import.meta.url)));

/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */
const sidebars = {
  docs: [
    "getting-started",
    { type: "doc", id: "architecture", label: "Architecture" },
    {
      type: "category",
      label: "Notebooks",
      // Collapsed except on a chapter's own pages (Docusaurus opens the active category), so the
      // API reference stays above the fold at 1280×900.
      collapsed: true,
      link: { type: "doc", id: "notebooks/index" },
      items: chapters,
    },
    "fidelity-ledger",
    ...(hasDoc("playground") ? [{ type: "doc", id: "playground", label: "Playground" }] : []),
    {
      type: "category",
      label: "Results",
      collapsed: false,
      items: ["training", "benchmark", "speed"],
    },
    {
      type: "category",
      label: "API reference",
      link: { type: "doc", id: "api/index" },
      items: apiItems,
    },
  ],
};

export default sidebars;
