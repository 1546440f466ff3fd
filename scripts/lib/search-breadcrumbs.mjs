// The local search's breadcrumbs, tidied (used by scripts/tidy-search-index.mjs after the build):
// the plugin joins the active navbar item, the active sidebar categories and the page's title,
// which repeat one another on this site ("Notebooks › Notebooks", "Fidelity ledger › Fidelity
// ledger").

/**
 * `breadcrumb` without repeated neighbours and without a tail that repeats `title` (the search
 * box shows the title after the breadcrumb).
 */
export function tidyBreadcrumb(breadcrumb, title) {
  const out = [];
  for (const item of breadcrumb) if (out[out.length - 1] !== item) out.push(item);
  while (out.length > 0 && out[out.length - 1] === title) out.pop();
  return out;
}
