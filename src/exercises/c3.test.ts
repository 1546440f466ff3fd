import { test } from "node:test";
import assert from "node:assert/strict";
import { checkC3ParamCount } from "./c3";

test("doc example: a right answer passes", () => {
  const result = checkC3ParamCount((table, k) =>
    table.reduce((n, inputs) => n + inputs.length * k * k + 1, 0),
  );
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ .*1,516/);
});

test("the unfinished starter (return 0) fails without throwing", () => {
  const result = checkC3ParamCount(() => 0);
  assert.equal(result.ok, false);
  // Table I first: 60 connections · 25 + 16 biases = 1516.
  assert.match(
    result.message,
    /^✗ on Table I with 5×5 kernels your function returned 0; expected 1516/,
  );
});

test("a throwing function is reported, not rethrown", () => {
  const result = checkC3ParamCount(() => {
    throw new Error("TODO");
  });
  assert.equal(result.ok, false);
  assert.match(result.message, /your function threw: TODO \(on Table I/);
});

test("forgotten biases are named: 60 · 25 = 1500", () => {
  const result = checkC3ParamCount((table, k) => table.flat().length * k * k);
  assert.match(result.message, /returned 1500; expected 1516: .*no biases/);
});

test("a bias per connection is named: 60 · 26 = 1560", () => {
  const result = checkC3ParamCount((table, k) => table.flat().length * (k * k + 1));
  assert.match(result.message, /returned 1560; .*one bias per output map, 16 here, not 60/);
});

test("full connectivity is named: 96 · 25 + 16 = 2416", () => {
  const result = checkC3ParamCount((table, k) => 6 * table.length * k * k + table.length);
  assert.match(result.message, /returned 2416; .*every input map to every output map/);
});

test("K instead of K² is named: 60 · 5 + 16 = 316", () => {
  const result = checkC3ParamCount((table, k) => table.flat().length * k + table.length);
  assert.match(result.message, /returned 316; .*5×5 kernel has 25 weights, not 5/);
});

test("a hard-coded 1516 fails on the other tables", () => {
  const result = checkC3ParamCount(() => 1516);
  assert.equal(result.ok, false);
  assert.match(result.message, /full 6→16 table .*expected 2416/);
});

test("a non-number answer is named", () => {
  const result = checkC3ParamCount(() => Number.NaN);
  assert.match(result.message, /returned NaN, not a number/);
});
