import { test } from "node:test";
import assert from "node:assert/strict";
import { checkC5InputSide, checkConvConnections, checkSdlmStepSize } from "./training";

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

const trace = (s: number, p: number): number =>
  Math.floor((Math.floor((s + 2 * p - 4) / 2) - 4) / 2);

test("doc example: checkC5InputSide accepts the trace through C1, S2, C3, S4", () => {
  const result = checkC5InputSide(trace);
  assert.equal(result.ok, true);
  // 32 + 4 − 4 = 32 → 16 → 12 → 6: C5 (5×5) then gives 2×2.
  assert.match(result.message, /reaches it as 6×6/);
});

test("checkC5InputSide names the usual slips", () => {
  const cases: [(s: number, p: number) => number, RegExp][] = [
    [() => 0, /starter/],
    // (28, 2) without padding: 24 → 12 → 8 → 4.
    [(s) => trace(s, 0), /returned 4; expected 5 — that ignores C1's padding/],
    [(s, p) => Math.floor((Math.floor((s + 2 * p - 5) / 2) - 5) / 2), /removes 4 rows/],
    // 28 + 4 − 8 = 24.
    [(s, p) => s + 2 * p - 8, /returned 24; .* forgets the two 2×2 pools/],
    [(s, p) => Math.floor((s + 2 * p) / 4), /forgets the two convolutions/],
    [() => 5, /c5InputSide\(32, 2\) .* returned 5; expected 6/],
  ];
  for (const [wrong, message] of cases) {
    const result = checkC5InputSide(wrong);
    assert.equal(result.ok, false, String(wrong));
    assert.match(result.message, message);
  }
});

test("doc example: checkConvConnections accepts H·W·(K·K·Cin + 1)·Cout", () => {
  const result = checkConvConnections((s, k, cin, cout) => s * s * (k * k * cin + 1) * cout);
  assert.equal(result.ok, true);
  // 28·28·(25 + 1)·6 = 122,304, the paper's C1.
  assert.match(result.message, /^✓ C1 → 122,304 and C5 → 48,120/);
});

test("checkConvConnections names the usual slips", () => {
  const cases: [(s: number, k: number, cin: number, cout: number) => number, RegExp][] = [
    [() => 0, /starter/],
    // C1 without the bias: 784·25·6 = 117,600.
    [(s, k, cin, cout) => s * s * k * k * cin * cout, /returned 117,600; .* leaves out the bias/],
    [(_s, k, cin, cout) => (k * k * cin + 1) * cout, /that is the parameter count/],
    [(s, k, cin, cout) => s * (k * k * cin + 1) * cout, /square the side/],
    // Right for C1 (Cin = 1); C5 gives 1·26·120 = 3,120.
    [
      (s, k, _cin, cout) => s * s * (k * k + 1) * cout,
      /C5\) returned 3,120; .* every one of the Cin maps/,
    ],
    [() => 7, /expected 122,304 = H_out·W_out/],
  ];
  for (const [wrong, message] of cases) {
    const result = checkConvConnections(wrong);
    assert.equal(result.ok, false, String(wrong));
    assert.match(result.message, message);
  }
});
