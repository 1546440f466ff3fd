/**
 * Sparsely connected 2-D convolution: LeNet-5's C3 (Section II-B, Table I). Each output map j
 * sees only the input maps `table[j]` lists — the paper's way to keep the parameter count down
 * and to break the symmetry between maps, so that they learn different features.
 *
 *   y[n, oy, ox, j] = b[j] + Σ_{c : outMap[c] = j} Σ_{ky, kx} x[n, oy + ky, ox + kx, inMap[c]] · k[ky, kx, c]
 *
 * Packed kernel layout [KH, KW, connections]: connection c enumerates the table in order —
 * output map j = 0, 1, …, and within it the input maps in the order `table[j]` lists them. One
 * KH×KW kernel per connection, no weights for the pairs the table leaves out.
 *
 * Second derivatives (SDLM's Gauss–Newton pass, Appendix C): as conv2d's, along the table's
 * connections only — h_k = Σ x²·d2y, d2x = Σ k²·d2y.
 *
 * Input shape: x [N, H, W, Cin] (Cin = 1 + the largest input index in the table),
 * kernel [KH, KW, connections], bias [Cout] (Cout = table.length).
 * Output shape: [N, H − KH + 1, W − KW + 1, Cout]; for LeNet-5, [N, 14, 14, 6] → [N, 10, 10, 16].
 * Departures from the paper: none (valid convolution, stride 1, as in the paper).
 */
import { TABLE_I } from "../paper";
import type { KernelBackward2 } from "./conv2d";
import { Tensor, expectShape, zeros } from "./tensor";

/** A connection table flattened to parallel arrays, one entry per (input map, output map) pair. */
export interface TableConnections {
  /** Input map of connection c. */
  inMap: Int32Array;
  /** Output map of connection c (non-decreasing in c). */
  outMap: Int32Array;
  /** 1 + the largest input map index: the channels x must have. */
  inChannels: number;
  /** Number of output maps (`table.length`). */
  outChannels: number;
}

/** Gradients of a sparse-conv2d loss with respect to its three inputs. */
export interface SparseConv2dGradients {
  /** dLoss/dx, the shape of x: [N, H, W, Cin]. */
  dx: Tensor;
  /** dLoss/dkernel, packed like the kernel: [KH, KW, connections]. */
  dKernel: Tensor;
  /** dLoss/dbias: [Cout]. */
  dBias: Tensor;
}

/**
 * Flattens a connection table (default: the paper's Table I) into the connection order of the
 * packed kernel. Throws a RangeError for a negative or non-integer map index, an input map
 * listed twice for one output map, or a table without connections.
 *
 * Input shape: a table of Cout rows (Table I: 16). Output shape: `inMap` and `outMap` of length
 * connections (Table I: 60).
 * @example
 * ```ts
 * const { inMap, outMap, inChannels, outChannels } = tableConnections();
 * // inMap.length === 60, inChannels === 6, outChannels === 16
 * // connection 3 is the first of output map 1: inMap[3] === 1, outMap[3] === 1
 * ```
 */
export function tableConnections(
  table: readonly (readonly number[])[] = TABLE_I,
): TableConnections {
  const inMaps: number[] = [];
  const outMaps: number[] = [];
  table.forEach((inputs, j) => {
    if (new Set(inputs).size !== inputs.length) {
      throw new RangeError(`tableConnections: output map ${j} lists an input map twice`);
    }
    for (const i of inputs) {
      if (!Number.isInteger(i) || i < 0) {
        throw new RangeError(`tableConnections: output map ${j} lists input map ${i}`);
      }
      inMaps.push(i);
      outMaps.push(j);
    }
  });
  if (inMaps.length === 0) throw new RangeError("tableConnections: the table has no connections");
  return {
    inMap: Int32Array.from(inMaps),
    outMap: Int32Array.from(outMaps),
    inChannels: 1 + Math.max(...inMaps),
    outChannels: table.length,
  };
}

/**
 * Trainable parameters of a sparse convolution: one kernelSize² kernel per connection plus one
 * bias per output map.
 *
 * Input shape: kernel side K and a table. Output shape: a number, connections·K² + Cout.
 * @example
 * ```ts
 * sparseConv2dParamCount(5); // 60 · 25 + 16 = 1516, C3's count in the paper
 * ```
 */
export function sparseConv2dParamCount(
  kernelSize: number,
  table: readonly (readonly number[])[] = TABLE_I,
): number {
  const { inMap, outChannels } = tableConnections(table);
  return inMap.length * kernelSize * kernelSize + outChannels;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}

/** Checks x and kernel against the table; returns the sizes forward and backward share. */
function sparseGeometry(op: string, x: Tensor, kernel: Tensor, links: TableConnections) {
  expectShape(`${op} x`, x, [null, null, null, links.inChannels]);
  expectShape(`${op} kernel for x ${shapeText(x)}`, kernel, [null, null, links.inMap.length]);
  const [batch, height, width] = x.shape;
  const [kernelHeight, kernelWidth] = kernel.shape;
  const outHeight = height - kernelHeight + 1;
  const outWidth = width - kernelWidth + 1;
  if (outHeight < 1 || outWidth < 1) {
    throw new RangeError(`${op}: kernel ${shapeText(kernel)} is larger than x ${shapeText(x)}`);
  }
  return { batch, height, width, kernelHeight, kernelWidth, outHeight, outWidth };
}

/**
 * Forward sparse convolution: output map j sums the KH×KW convolutions of only the input maps
 * `table[j]` lists, plus its bias.
 *
 * Input shape: x [N, H, W, Cin], kernel [KH, KW, connections], bias [Cout]. Output shape:
 * [N, H − KH + 1, W − KW + 1, Cout]. C3: [N, 14, 14, 6] → [N, 10, 10, 16].
 * @example
 * ```ts
 * const x = zeros([1, 14, 14, 6]); // S2's output
 * const kernel = zeros([5, 5, 60]); // one 5×5 kernel per Table I connection
 * const y = sparseConv2d(x, kernel, zeros([16])); // [1, 10, 10, 16]
 * ```
 */
export function sparseConv2d(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor,
  table: readonly (readonly number[])[] = TABLE_I,
): Tensor {
  const links = tableConnections(table);
  const g = sparseGeometry("sparseConv2d", x, kernel, links);
  expectShape(`sparseConv2d bias for kernel ${shapeText(kernel)}`, bias, [links.outChannels]);
  const cin = links.inChannels;
  const cout = links.outChannels;
  const connections = links.inMap.length;
  const y = zeros([g.batch, g.outHeight, g.outWidth, cout], x.data); // [N, Ho, Wo, Cout]
  const xs = x.data;
  const ks = kernel.data;
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const yBase = ((n * g.outHeight + oy) * g.outWidth + ox) * cout;
        for (let j = 0; j < cout; j++) y.data[yBase + j] = bias.data[j];
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const xBase = ((n * g.height + oy + ky) * g.width + ox + kx) * cin;
            const kBase = (ky * g.kernelWidth + kx) * connections;
            for (let c = 0; c < connections; c++) {
              y.data[yBase + links.outMap[c]] += xs[xBase + links.inMap[c]] * ks[kBase + c];
            }
          }
        }
      }
    }
  }
  return y;
}

/**
 * Backward of {@link sparseConv2d}: dLoss/dx, dLoss/dkernel (packed, [KH, KW, connections]) and
 * dLoss/dbias. An input map gets gradient only through the output maps it is connected to.
 *
 * Input shape: x [N, H, W, Cin], kernel [KH, KW, connections],
 * dy [N, H − KH + 1, W − KW + 1, Cout]. Output shape: dx [N, H, W, Cin],
 * dKernel [KH, KW, connections], dBias [Cout]. C3: dy [N, 10, 10, 16] → dx [N, 14, 14, 6],
 * dKernel [5, 5, 60], dBias [16].
 * @example
 * ```ts
 * const x = zeros([1, 14, 14, 6], "float64");
 * const dy = zeros([1, 10, 10, 16], "float64");
 * const { dKernel } = sparseConv2dBackward(x, zeros([5, 5, 60], "float64"), dy); // [5, 5, 60]
 * ```
 */
export function sparseConv2dBackward(
  x: Tensor,
  kernel: Tensor,
  dy: Tensor,
  table: readonly (readonly number[])[] = TABLE_I,
): SparseConv2dGradients {
  const links = tableConnections(table);
  const g = sparseGeometry("sparseConv2dBackward", x, kernel, links);
  const cin = links.inChannels;
  const cout = links.outChannels;
  const connections = links.inMap.length;
  expectShape(`sparseConv2dBackward dy for x ${shapeText(x)} and kernel ${shapeText(kernel)}`, dy, [
    g.batch,
    g.outHeight,
    g.outWidth,
    cout,
  ]);
  const dx = zeros(x.shape, x.data); // [N, H, W, Cin]
  const dKernel = zeros(kernel.shape, x.data); // [KH, KW, connections]
  const dBias = zeros([cout], x.data); // [Cout]
  const xs = x.data;
  const ks = kernel.data;
  const dys = dy.data;
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const yBase = ((n * g.outHeight + oy) * g.outWidth + ox) * cout;
        for (let j = 0; j < cout; j++) dBias.data[j] += dys[yBase + j];
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const xBase = ((n * g.height + oy + ky) * g.width + ox + kx) * cin;
            const kBase = (ky * g.kernelWidth + kx) * connections;
            for (let c = 0; c < connections; c++) {
              const d = dys[yBase + links.outMap[c]];
              const xi = xBase + links.inMap[c];
              dx.data[xi] += d * ks[kBase + c];
              dKernel.data[kBase + c] += d * xs[xi];
            }
          }
        }
      }
    }
  }
  return { dx, dKernel, dBias };
}

/**
 * Second derivatives back through the sparse C3 convolution (Table I): as {@link conv2dBackward2},
 * but only along the table's connections; the kernel is packed, [KH, KW, connections].
 * @example
 * ```ts
 * const x = zeros([1, 14, 14, 6]); // S2's output
 * const { hKernel } = sparseConv2dBackward2(x, zeros([5, 5, 60]), zeros([1, 10, 10, 16]));
 * hKernel.shape; // [5, 5, 60]
 * ```
 */
export function sparseConv2dBackward2(
  x: Tensor,
  kernel: Tensor,
  d2y: Tensor,
  table: readonly (readonly number[])[] = TABLE_I,
): KernelBackward2 {
  const links = tableConnections(table);
  const connections = links.inMap.length;
  expectShape("sparseConv2dBackward2 x", x, [null, null, null, links.inChannels]);
  expectShape("sparseConv2dBackward2 kernel", kernel, [null, null, connections]);
  const [batch, height, width, cin] = x.shape;
  const [kernelHeight, kernelWidth] = kernel.shape;
  const outHeight = height - kernelHeight + 1;
  const outWidth = width - kernelWidth + 1;
  const cout = links.outChannels;
  expectShape("sparseConv2dBackward2 d2y", d2y, [batch, outHeight, outWidth, cout]);
  const d2x = zeros(x.shape, x.data); // [N, H, W, Cin]
  const hKernel = zeros(kernel.shape, x.data); // [KH, KW, connections]
  const hBias = zeros([cout], x.data); // [Cout]
  const ks = kernel.data;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const yBase = ((n * outHeight + oy) * outWidth + ox) * cout;
        for (let j = 0; j < cout; j++) hBias.data[j] += d2y.data[yBase + j];
        for (let ky = 0; ky < kernelHeight; ky++) {
          for (let kx = 0; kx < kernelWidth; kx++) {
            const xBase = ((n * height + oy + ky) * width + ox + kx) * cin;
            const kBase = (ky * kernelWidth + kx) * connections;
            for (let c = 0; c < connections; c++) {
              const d2 = d2y.data[yBase + links.outMap[c]];
              const xi = xBase + links.inMap[c];
              const k = ks[kBase + c];
              d2x.data[xi] += k * k * d2;
              hKernel.data[kBase + c] += x.data[xi] * x.data[xi] * d2;
            }
          }
        }
      }
    }
  }
  return { d2x, hKernel, hBias };
}
