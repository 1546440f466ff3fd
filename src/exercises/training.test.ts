import { test } from "node:test";
import assert from "node:assert/strict";
import { checkSdlmStepSize } from "./training";

test("doc example: checkSdlmStepSize accepts η/(μ + h)", () => {
  const result = checkSdlmStepSize((eta, mu, h) => eta / (mu + h));
  assert.equal(result.ok, true);
  // No curvature with the paper's μ = 0.02: 0.0005 / 0.02 = 0.025.
  assert.match(result.message, /^✓ ε = η\/\(μ \+ h\).*η\/μ = 0\.025/);
});

test("checkSdlmStepSize names the usual slips", () => {
  const cases: [(eta: number, mu: number, h: number) => number, RegExp][] = [
    [() => 0, /starter/],
    // First case η = 0.0005, h = 0.08: η/h = 0.00625.
    [(eta, _mu, h) => eta / h, /returned 0\.00625; .* forgets μ/],
    [(eta, mu) => eta / mu, /ignores the curvature/],
    [(eta, mu, h) => eta * (mu + h), /curvature divides η/],
    [(eta, mu, h) => eta / (mu * h), /added to h, not multiplied/],
    [(eta) => eta, /plain SGD/],
    [() => 1, /returned 1; expected 0\.005 = η \/ \(μ \+ h\)$/],
    [() => Number.NaN, /not a number/],
    [
      () => {
        throw new Error("TODO");
      },
      /sdlmStepSize threw: TODO/,
    ],
  ];
  for (const [wrong, message] of cases) {
    const result = checkSdlmStepSize(wrong);
    assert.equal(result.ok, false, String(wrong));
    assert.match(result.message, message);
  }
});
