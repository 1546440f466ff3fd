import { test } from "node:test";
import assert from "node:assert/strict";
import { PAPER_LAYER_COUNTS, TABLE_I } from "../paper";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { conv2d, conv2dBackward } from "./conv2d";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import {
  sparseConv2d,
  sparseConv2dBackward,
  sparseConv2dParamCount,
  tableConnections,
  sparseConv2dBackward2,
} from "./sparse-conv2d";
import { Tensor, tensor, zeros } from "./tensor";

test("Table I: 60 connections, 6 inputs, 16 outputs, 1,516 parameters as in the paper", () => {
  const links = tableConnections();
  assert.equal(links.inMap.length, 60);
  assert.equal(links.inChannels, 6);
  assert.equal(links.outChannels, 16);
  // 6 maps × 3 inputs + 9 maps × 4 inputs + 1 map × 6 inputs = 18 + 36 + 6 = 60.
  const perOutput = Array.from(
    { length: 16 },
    (_, j) => links.outMap.filter((o) => o === j).length,
  );
  assert.deepEqual(perOutput, [3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 6]);
  assert.equal(sparseConv2dParamCount(5), 1516);
  assert.equal(sparseConv2dParamCount(5), PAPER_LAYER_COUNTS.find((l) => l.name === "C3")?.params);
  // Connections in the paper's sense: every parameter is used once per 10×10 output position.
  assert.equal(sparseConv2dParamCount(5) * 10 * 10, 151_600);
});

test("connection order: output map by output map, inputs in Table I's order", () => {
  const { inMap, outMap } = tableConnections();
  assert.deepEqual([...inMap], TABLE_I.flat());
  assert.deepEqual(
    [...outMap],
    TABLE_I.flatMap((inputs, j) => inputs.map(() => j)),
  );
  // A custom table keeps its own listing order.
  const custom = tableConnections([[2, 0], [1]]);
  assert.deepEqual([...custom.inMap], [2, 0, 1]);
  assert.deepEqual([...custom.outMap], [0, 0, 1]);
  assert.equal(custom.inChannels, 3);
  assert.equal(custom.outChannels, 2);
});

test("bad tables throw a RangeError", () => {
  assert.throws(() => tableConnections([[0, 0]]), /twice/);
  assert.throws(() => tableConnections([[-1]]), RangeError);
  assert.throws(() => tableConnections([[1.5]]), RangeError);
  assert.throws(() => tableConnections([[], []]), /no connections/);
});

/** Places a packed [K, K, connections] kernel into a dense [K, K, Cin, Cout] one (zeros elsewhere). */
function unpackKernel(packed: Tensor, table: readonly (readonly number[])[]): Tensor {
  const { inMap, outMap, inChannels, outChannels } = tableConnections(table);
  const [kh, kw, connections] = packed.shape;
  const full = zeros([kh, kw, inChannels, outChannels], packed.data);
  for (let tap = 0; tap < kh * kw; tap++) {
    for (let c = 0; c < connections; c++) {
      full.data[(tap * inChannels + inMap[c]) * outChannels + outMap[c]] =
        packed.data[tap * connections + c];
    }
  }
  return full;
}

test("with a full table it is conv2d with the same weights (forward and backward)", () => {
  // Every output map takes every input map, listed in a different order per map so the packing
  // order matters.
  const table = [
    [0, 1, 2],
    [2, 1, 0],
    [1, 0, 2],
    [0, 2, 1],
  ];
  const rng = new Rng(5);
  const x = randomTensor(rng, [2, 7, 6, 3]);
  const packed = randomTensor(rng, [3, 3, 12]);
  const bias = randomTensor(rng, [4]);
  const full = unpackKernel(packed, table);
  const y = sparseConv2d(x, packed, bias, table);
  assert.deepEqual(y.shape, [2, 5, 4, 4]);
  assertClose(y.data, conv2d(x, full, bias).data, { atol: 1e-12, rtol: 1e-12 });

  const dy = randomTensor(rng, [2, 5, 4, 4]);
  const sparseGrads = sparseConv2dBackward(x, packed, dy, table);
  const denseGrads = conv2dBackward(x, full, dy);
  assertClose(sparseGrads.dx.data, denseGrads.dx.data, { atol: 1e-12, rtol: 1e-12 });
  assertClose(sparseGrads.dBias.data, denseGrads.dBias.data, { atol: 1e-12, rtol: 1e-12 });
  assertClose(unpackKernel(sparseGrads.dKernel, table).data, denseGrads.dKernel.data, {
    atol: 1e-12,
    rtol: 1e-12,
  });
});

test("with Table I it is conv2d with the unconnected weights set to zero", () => {
  const rng = new Rng(6);
  const x = randomTensor(rng, [1, 14, 14, 6]);
  const packed = randomTensor(rng, [5, 5, 60]);
  const bias = randomTensor(rng, [16]);
  const y = sparseConv2d(x, packed, bias);
  assert.deepEqual(y.shape, [1, 10, 10, 16]);
  assertClose(y.data, conv2d(x, unpackKernel(packed, TABLE_I), bias).data, {
    atol: 1e-12,
    rtol: 1e-12,
  });
});

test("an output map does not depend on an S2 map it is not connected to", () => {
  const rng = new Rng(7);
  const x = randomTensor(rng, [1, 14, 14, 6]);
  const kernel = randomTensor(rng, [5, 5, 60]);
  const bias = randomTensor(rng, [16]);
  const before = sparseConv2d(x, kernel, bias);
  // Change every pixel of S2 map 3.
  const changed = tensor(x.shape, x.data, "float64");
  for (let p = 3; p < changed.data.length; p += 6) changed.data[p] += 1;
  const after = sparseConv2d(changed, kernel, bias);
  for (let j = 0; j < 16; j++) {
    let maxChange = 0;
    for (let p = j; p < before.data.length; p += 16) {
      maxChange = Math.max(maxChange, Math.abs(after.data[p] - before.data[p]));
    }
    if (TABLE_I[j].includes(3)) {
      assert.ok(maxChange > 0, `C3 map ${j} takes S2 map 3 and should change`);
    } else {
      assert.equal(maxChange, 0, `C3 map ${j} does not take S2 map 3 and must not change`);
    }
  }
  // Map 0 takes S2 maps 0, 1, 2 only (Table I, first column).
  assert.deepEqual(TABLE_I[0], [0, 1, 2]);
});

test("wrong shapes throw a RangeError naming the op and both shapes", () => {
  assert.throws(
    () => sparseConv2d(zeros([1, 14, 14, 5]), zeros([5, 5, 60]), zeros([16])),
    /sparseConv2d x.*\[1, 14, 14, 5\]/,
  );
  assert.throws(
    () => sparseConv2d(zeros([1, 14, 14, 6]), zeros([5, 5, 59]), zeros([16])),
    (e: unknown) =>
      e instanceof RangeError &&
      /sparseConv2d kernel/.test(e.message) &&
      e.message.includes("[1, 14, 14, 6]") &&
      e.message.includes("[5, 5, 59]"),
  );
  assert.throws(() => sparseConv2d(zeros([1, 14, 14, 6]), zeros([5, 5, 60]), zeros([6])), /bias/);
  assert.throws(
    () => sparseConv2dBackward(zeros([1, 14, 14, 6]), zeros([5, 5, 60]), zeros([1, 10, 10, 6])),
    /sparseConv2dBackward dy/,
  );
});

test("doc examples", () => {
  const { inMap, outMap, inChannels, outChannels } = tableConnections();
  // inMap.length === 60, inChannels === 6, outChannels === 16
  // connection 3 is the first of output map 1: inMap[3] === 1, outMap[3] === 1
  assert.equal(inMap.length, 60);
  assert.equal(inChannels, 6);
  assert.equal(outChannels, 16);
  assert.equal(inMap[3], 1);
  assert.equal(outMap[3], 1);

  assert.equal(sparseConv2dParamCount(5), 1516); // 60 · 25 + 16 = 1516, C3's count in the paper

  const x = zeros([1, 14, 14, 6]); // S2's output
  const kernel = zeros([5, 5, 60]); // one 5×5 kernel per Table I connection
  const y = sparseConv2d(x, kernel, zeros([16])); // [1, 10, 10, 16]
  assert.deepEqual(y.shape, [1, 10, 10, 16]);

  {
    const x = zeros([1, 14, 14, 6], "float64");
    const dy = zeros([1, 10, 10, 16], "float64");
    const { dKernel } = sparseConv2dBackward(x, zeros([5, 5, 60], "float64"), dy); // [5, 5, 60]
    assert.deepEqual(dKernel.shape, [5, 5, 60]);
    assert.ok(dKernel.data instanceof Float64Array);
  }
});

test("gradient check of dx, dKernel, dBias with Table I (Float64)", () => {
  const rng = new Rng(8);
  const x = randomTensor(rng, [2, 6, 5, 6]);
  const kernel = randomTensor(rng, [3, 2, 60]);
  const bias = randomTensor(rng, [16]);
  const r = randomTensor(rng, [2, 4, 4, 16]);
  const loss = () => weightedSum(sparseConv2d(x, kernel, bias), r);
  const g = sparseConv2dBackward(x, kernel, r);
  assertGradient(loss, x, g.dx, { label: "sparseConv2d dx" });
  assertGradient(loss, kernel, g.dKernel, { label: "sparseConv2d dKernel" });
  assertGradient(loss, bias, g.dBias, { label: "sparseConv2d dBias" });
});

const square = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * v) });

test("sparseConv2dBackward2: packed like the kernel, and the backward with squared factors", () => {
  const shape = sparseConv2dBackward2(
    zeros([1, 14, 14, 6]),
    zeros([5, 5, 60]),
    zeros([1, 10, 10, 16]),
  );
  assert.deepEqual(shape.hKernel.shape, [5, 5, 60]);
  const rng = new Rng(7);
  const x = randomTensor(rng, [1, 14, 14, 6]);
  const k = randomTensor(rng, [5, 5, 60]);
  const d2y = randomTensor(rng, [1, 10, 10, 16], { low: 0, high: 1 });
  const second = sparseConv2dBackward2(x, k, d2y);
  assertClose(second.hKernel.data, sparseConv2dBackward(square(x), k, d2y).dKernel.data);
  assertClose(second.d2x.data, sparseConv2dBackward(x, square(k), d2y).dx.data);
  assertClose(second.hBias.data, sparseConv2dBackward(x, k, d2y).dBias.data);
});
