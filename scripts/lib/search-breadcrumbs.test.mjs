import { test } from "node:test";
import assert from "node:assert/strict";
import { tidyBreadcrumb } from "./search-breadcrumbs.mjs";

test("repeated neighbours and a tail equal to the page title are dropped", () => {
  assert.deepEqual(tidyBreadcrumb(["Notebooks", "Notebooks"], "6 · F6"), ["Notebooks"]);
  assert.deepEqual(tidyBreadcrumb(["Fidelity ledger"], "Fidelity ledger"), []);
  assert.deepEqual(tidyBreadcrumb(["API", "API reference"], "API reference"), ["API"]);
  assert.deepEqual(tidyBreadcrumb(["Docs", "Results"], "Training results"), ["Docs", "Results"]);
  // Equal names apart from each other are kept: only neighbours repeat.
  assert.deepEqual(tidyBreadcrumb(["A", "B", "A"], "C"), ["A", "B", "A"]);
  assert.deepEqual(tidyBreadcrumb([], "T"), []);
});
