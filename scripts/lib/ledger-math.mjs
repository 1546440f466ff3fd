// The fidelity ledger's rows (fidelityLedger() in src/models/fidelity.ts) write their math as
// plain text, for the terminal and for notebooks: "F_i", "±2.4/25", "E = mean(y_D + …)". For the
// site, scripts/fidelity-ledger.mjs passes every field through `typesetLedgerText`, which wraps
// the formulas it recognises in `$…$` (TeX, rendered by the Ledger component with KaTeX), and
// through `compressRateList`, which writes a per-pass list of rates as the runs of equal values.
// Text it does not recognise stays as it is; code spans are never touched.

/** Plain-text formulas and their TeX, tried in order on the text outside code spans and math. */
const RULES = [
  // The loss of eq. 9, as fidelity.ts writes it.
  [
    /E = mean\(y_D \+ log\(e\^[−-]j \+ Σ_i e\^[−-]y_i\)\)/g,
    () =>
      String.raw`E = \operatorname{mean}\bigl(y_D + \log\bigl(e^{-j} + \textstyle\sum_i e^{-y_i}\bigr)\bigr)`,
  ],
  // The squashing function of the group heading, f(a) = A·tanh(S·a) (Appendix A).
  [/f\(a\) = A·tanh\(S·a\)/g, () => String.raw`f(a) = A\tanh(S a)`],
  // "±2.4/25 = ±0.0960": the bound of a layer's uniform initialisation, worked out.
  [
    /±(\d+(?:\.\d+)?)\/(\d+) = ±(\d+(?:\.\d+)?)/g,
    (_, a, b, c) => String.raw`\pm ${a}/${b} = \pm ${c}`,
  ],
  [/±(\d+(?:\.\d+)?)\/√F_i/g, (_, a) => String.raw`\pm ${a}/\sqrt{F_i}`],
  [/±(\d+(?:\.\d+)?)\/F_i/g, (_, a) => String.raw`\pm ${a}/F_i`],
  [/F_i = (\d+)/g, (_, n) => `F_i = ${n}`],
  [/\|w\| = (\d+(?:\.\d+)?)/g, (_, v) => `|w| = ${v}`],
  [/μ = (\d+(?:\.\d+)?)·B/g, (_, v) => String.raw`\mu = ${v}\cdot B`],
  [/μ = (\d+(?:\.\d+)?)/g, (_, v) => String.raw`\mu = ${v}`],
  [/η\/μ/g, () => String.raw`\eta/\mu`],
  [/½·y_D/g, () => String.raw`\tfrac12 y_D`],
  [/\bh_kk\b/g, () => "h_{kk}"],
  [/\by_D\b/g, () => "y_D"],
  [/\bF_i\b/g, () => "F_i"],
  [/ε_k/g, () => String.raw`\varepsilon_k`],
  [/μ/g, () => String.raw`\mu`],
  [/η/g, () => String.raw`\eta`],
  // "Amplitude A", "Slope S": the squashing function's constants, f(a) = A·tanh(S·a).
  [/\b(Amplitude|Slope) ([AS])\b/g, (_, word, letter) => ({ text: `${word} `, tex: letter })],
];

/** Splits text into code spans, `$…$` math and the plain text between them. */
function parts(text) {
  return text.split(/(`[^`]*`|\$[^$]+\$)/).map((part, i) => ({ part, plain: i % 2 === 0 }));
}

/**
 * `text` with the formulas it recognises wrapped as `$TeX$` (see RULES); code spans and existing
 * `$…$` are left alone.
 */
export function typesetLedgerText(text) {
  if (typeof text !== "string") return text;
  let result = text;
  for (const [pattern, tex] of RULES) {
    result = parts(result)
      .map(({ part, plain }) =>
        plain
          ? part.replace(pattern, (...match) => {
              const out = tex(...match);
              return typeof out === "string" ? `$${out}$` : `${out.text}$${out.tex}$`;
            })
          : part,
      )
      .join("");
  }
  return result;
}

/** "5e-4" → "5\times10^{-4}", "1e-5" → "10^{-5}", "0.02" → "0.02". */
export function texNumber(token) {
  const match = /^(\d+(?:\.\d+)?)e([-+]?\d+)$/.exec(token);
  if (!match) return token;
  const [, mantissa, exponent] = match;
  const power = `10^{${Number(exponent)}}`;
  return mantissa === "1" ? power : String.raw`${mantissa}\times${power}`;
}

/**
 * A comma-separated list of six or more numbers, one per pass ("5e-4, 5e-4, 2e-4, …"), as its
 * runs of equal values: "$5\times10^{-4}$ for passes 1–2, $2\times10^{-4}$ for 3–5, …". Any other
 * text is returned unchanged.
 */
export function compressRateList(text) {
  if (typeof text !== "string") return text;
  const tokens = text.split(/,\s*/);
  if (tokens.length < 6 || !tokens.every((t) => /^\d+(?:\.\d+)?(?:e[-+]?\d+)?$/.test(t)))
    return text;
  const runs = [];
  tokens.forEach((token, i) => {
    const last = runs[runs.length - 1];
    if (last && Number(last.value) === Number(token)) last.to = i + 1;
    else runs.push({ value: token, from: i + 1, to: i + 1 });
  });
  return runs
    .map((run, i) => {
      const passes = run.from === run.to ? `${run.from}` : `${run.from}–${run.to}`;
      return `$${texNumber(run.value)}$ for ${i === 0 ? (run.from === run.to ? "pass" : "passes") + " " : ""}${passes}`;
    })
    .join(", ");
}
