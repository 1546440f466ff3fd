// The lenet5 documentation site (Docusaurus 3). It publishes the repository's docs/ folder:
// prose pages written by hand (getting started, architecture, training and benchmark results)
// and pages generated at build time, never committed — the notebooks (docs/notebooks/, by
// scripts/notebooks-to-pages.mjs), the fidelity ledger (docs/fidelity-ledger.md, by
// scripts/fidelity-ledger.mjs) and the API reference (docs/api/, by TypeDoc through
// docusaurus-plugin-typedoc). Everything the pages need — KaTeX's CSS and fonts, the search
// index, the interactive model — is bundled: the built site makes no request off its own host.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { themes as prismThemes } from "prism-react-renderer";
import remarkMath from "remark-math";
import rehypeKatex from "rehype-katex";

const require = createRequire(import.meta.url);
const fromSite = (path) => fileURLToPath(new URL(path, import.meta.url));

const math = { remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] };

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: "lenet5",
  tagline:
    "LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998) rebuilt in TypeScript, to be read, run and taken apart.",
  favicon: "img/favicon.svg",
  url: "http://127.0.0.1",
  baseUrl: "/",
  onBrokenLinks: "throw",
  onBrokenAnchors: "throw",
  future: {
    // Docusaurus v4's defaults, except CSS cascade layers: their fallback raises Infima's
    // selectors above the site's own custom.css, which then cannot theme the site.
    v4: {
      removeLegacyPostBuildHeadAttribute: true,
      useCssCascadeLayers: false,
      siteStorageNamespacing: true,
      fasterByDefault: true,
      mdx1CompatDisabledByDefault: true,
    },
    faster: true,
  },
  markdown: {
    // .md files are CommonMark (no JSX): prose and generated tables cannot trip over MDX syntax.
    // The generated notebook pages are .mdx, escaped by their converter.
    format: "detect",
    mermaid: true,
    hooks: { onBrokenMarkdownLinks: "throw" },
  },
  i18n: { defaultLocale: "en", locales: ["en"] },
  presets: [
    [
      "classic",
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          path: "../docs",
          routeBasePath: "docs",
          // Keep "00-tour" in the URL: the chapter number is part of the notebook's name.
          numberPrefixParser: false,
          sidebarPath: fromSite("./sidebars.mjs"),
          ...math,
        },
        blog: false,
        pages: { ...math },
        theme: { customCss: fromSite("./src/css/custom.css") },
        sitemap: false,
      }),
    ],
  ],
  // KaTeX's stylesheet, with its fonts, goes through the bundler: served from this host.
  clientModules: [require.resolve("katex/dist/katex.min.css")],
  themes: [
    "@docusaurus/theme-mermaid",
    [
      "@easyops-cn/docusaurus-search-local",
      {
        hashed: true,
        indexBlog: false,
        indexPages: true,
        docsRouteBasePath: "docs",
        docsDir: "../docs",
        language: ["en"],
        // KaTeX writes each formula twice, as MathML and as HTML: index only the visible one.
        // Code and cell outputs stay out too: "0.95%" should find the prose that says it, not
        // `testAccuracy: 0.95` in an example; so do charts (tick labels and legends are not prose).
        ignoreCssSelectors: [".katex-mathml", ".theme-code-block", "pre", "svg", "[data-output]"],
        // The API's 570 member pages would outrank the chapters (their titles are the very
        // words searched: "Variable: TANH" above chapter 6); the API reference's index page,
        // one row per export with its summary, is indexed and finds them.
        ignoreFiles: [/^docs\/api\/.+/],
        highlightSearchTermsOnTargetPage: true,
        // Each result names its page's place; repeated names in it are dropped after the build
        // (scripts/tidy-search-index.mjs, in website's build script).
        explicitSearchResultPath: true,
        searchResultLimits: 10,
      },
    ],
  ],
  plugins: [
    "./plugins/playground.js",
    [
      "docusaurus-plugin-typedoc",
      {
        entryPoints: [fromSite("../src/index.ts")],
        tsconfig: fromSite("../tsconfig.build.json"),
        out: fromSite("../docs/api"),
        docsPath: fromSite("../docs"),
        // Type errors are `npm run typecheck`'s business; the reference is built regardless.
        skipErrorChecking: true,
        exclude: ["**/*.test.ts", "**/test-support/**"],
        excludePrivate: true,
        excludeInternal: true,
        excludeExternals: true,
        disableSources: true,
        readme: fromSite("./api-readme.md"),
        mergeReadme: true,
        sanitizeComments: true,
        useCodeBlocks: true,
        parametersFormat: "table",
        interfacePropertiesFormat: "table",
        classPropertiesFormat: "table",
        typeDeclarationFormat: "table",
        enumMembersFormat: "table",
        indexFormat: "table",
        expandParameters: true,
        hidePageHeader: true,
        hideBreadcrumbs: true,
        pageTitleTemplates: { index: "API reference" },
        validation: { notExported: false, invalidLink: true, notDocumented: true },
        requiredToBeDocumented: [
          "Enum",
          "Variable",
          "Function",
          "Class",
          "Interface",
          "TypeAlias",
          "Namespace",
        ],
        sidebar: { pretty: true },
        logLevel: "Warn",
      },
    ],
  ],
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      image: "img/social-card.svg",
      colorMode: { respectPrefersColorScheme: true },
      docs: { sidebar: { hideable: true } },
      navbar: {
        title: "lenet5",
        logo: { alt: "lenet5", src: "img/logo.svg" },
        hideOnScroll: false,
        items: [
          {
            to: "/docs/getting-started",
            label: "Docs",
            position: "left",
            activeBaseRegex: "^/docs/(?!notebooks|api|fidelity-ledger)",
          },
          {
            to: "/docs/notebooks",
            label: "Notebooks",
            position: "left",
            activeBaseRegex: "^/docs/notebooks",
          },
          { to: "/docs/fidelity-ledger", label: "Fidelity ledger", position: "left" },
          { to: "/docs/api", label: "API", position: "left", activeBaseRegex: "^/docs/api" },
          { to: "/playground", label: "Playground", position: "left" },
          { to: "/train", label: "Watch it learn", position: "left" },
        ],
      },
      footer: {
        style: "dark",
        links: [
          {
            title: "Learn",
            items: [
              { label: "Getting started", to: "/docs/getting-started" },
              { label: "The notebooks", to: "/docs/notebooks" },
              { label: "Architecture", to: "/docs/architecture" },
            ],
          },
          {
            title: "Check",
            items: [
              { label: "Fidelity ledger", to: "/docs/fidelity-ledger" },
              { label: "Training results", to: "/docs/training" },
              { label: "Benchmark", to: "/docs/benchmark" },
            ],
          },
          {
            title: "Use",
            items: [
              { label: "API reference", to: "/docs/api" },
              { label: "Watch it learn", to: "/train" },
              { label: "Playground", to: "/playground" },
            ],
          },
        ],
        copyright:
          "lenet5 — MIT licence. LeNet-5: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, “Gradient-Based Learning Applied to Document Recognition”, Proc. IEEE 86(11), 1998.",
      },
      prism: {
        theme: prismThemes.github,
        darkTheme: prismThemes.dracula,
        additionalLanguages: ["bash", "json"],
      },
      mermaid: { theme: { light: "neutral", dark: "dark" } },
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
    }),
};

export default config;
