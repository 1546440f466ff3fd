// The ledger's plain-text math turned into TeX for the site (scripts/lib/ledger-math.mjs), on the
// texts fidelityLedger() writes, and every result checked to parse with KaTeX.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { compressRateList, texNumber, typesetLedgerText } from "./ledger-math.mjs";

const katex = createRequire(new URL("../../website/package.json", import.meta.url))("katex");

/** Every `$…$` of a typeset text, each rendered by KaTeX (which throws on bad TeX). */
function formulas(text) {
  const found = Array.from(text.matchAll(/\$([^$]+)\$/g), (m) => m[1]);
  for (const tex of found) katex.renderToString(tex, { throwOnError: true });
  return found;
}

test("initialisation bounds, fan-ins and the loss become TeX", () => {
  assert.equal(typesetLedgerText("C1 weights (F_i = 25)"), "C1 weights ($F_i = 25$)");
  assert.equal(
    typesetLedgerText("uniform in ±2.4/25 = ±0.0960"),
    "uniform in $\\pm 2.4/25 = \\pm 0.0960$",
  );
  assert.equal(typesetLedgerText("uniform ±2.4/√F_i"), "uniform $\\pm 2.4/\\sqrt{F_i}$");
  assert.equal(
    typesetLedgerText("150 values, largest |w| = 0.0957"),
    "150 values, largest $|w| = 0.0957$",
  );
  const loss = typesetLedgerText("E = mean(y_D + log(e^−j + Σ_i e^−y_i))");
  assert.match(loss, /^\$E = \\operatorname\{mean\}.*e\^\{-y_i\}.*\$$/);
  assert.equal(typesetLedgerText("Amplitude A"), "Amplitude $A$");
  assert.equal(
    typesetLedgerText("Squashing function f(a) = A·tanh(S·a)"),
    "Squashing function $f(a) = A\\tanh(S a)$",
  );
  for (const text of [loss, typesetLedgerText("uniform ±2.4/√F_i")])
    assert.equal(formulas(text).length, 1);
});

test("symbols in notes are typeset; code spans and unknown text are left alone", () => {
  const note = typesetLedgerText(
    "μ = 0.1·B: trained with `mu = 0.02`, h_kk from ½·y_D's (1), ε_k at η/μ.",
  );
  assert.equal(
    note,
    "$\\mu = 0.1\\cdot B$: trained with `mu = 0.02`, $h_{kk}$ from $\\tfrac12 y_D$'s (1), $\\varepsilon_k$ at $\\eta/\\mu$.",
  );
  assert.equal(formulas(note).length, 5);
  assert.equal(typesetLedgerText("SDLM"), "SDLM");
  assert.equal(typesetLedgerText("`h_kk` in code"), "`h_kk` in code");
  assert.equal(typesetLedgerText(undefined), undefined);
});

test("a per-pass rate list becomes its runs of equal values, typeset", () => {
  const paper =
    "5e-4, 5e-4, 2e-4, 2e-4, 2e-4, 1e-4, 1e-4, 1e-4, 5e-5, 5e-5, 5e-5, 5e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5";
  const line = compressRateList(paper);
  assert.equal(
    line,
    "$5\\times10^{-4}$ for passes 1–2, $2\\times10^{-4}$ for 3–5, $10^{-4}$ for 6–8, $5\\times10^{-5}$ for 9–12, $10^{-5}$ for 13–20",
  );
  assert.equal(formulas(line).length, 5);
  assert.equal(texNumber("0.02"), "0.02");
  // Short lists and other text pass through.
  assert.equal(compressRateList("0, 1, 2"), "0, 1, 2");
  assert.equal(compressRateList("C1, S2, C3, S4, C5, F6"), "C1, S2, C3, S4, C5, F6");
});
