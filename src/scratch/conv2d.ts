/**
 * 2-D convolution, stride 1, optional zero padding: LeNet-5's C1 and C5 (Section II-B) and the
 * modern net's padded first layer.
 *
 *   y[n, oy, ox, co] = b[co] + Σ_{ky, kx, ci} x̃[n, oy + ky, ox + kx, ci] · k[ky, kx, ci, co]
 *
 * where x̃ is x with `padding` rows/columns of zeros on every side. Like tfjs and PyTorch this is
 * cross-correlation (the kernel is not flipped); a learned kernel does not care.
 *
 * Second derivatives (SDLM's Gauss–Newton pass, Appendix C): the backward with every factor
 * squared — a shared tap sums x²·d2y over the positions it touches, each input collects k²·d2y.
 *
 * Input shape: x [N, H, W, Cin], kernel [KH, KW, Cin, Cout] (tfjs layout), bias [Cout].
 * Output shape: [N, H + 2p − KH + 1, W + 2p − KW + 1, Cout].
 * Departures from the paper: none for C1/C5 (padding 0: the paper gets its border from the
 * 32×32 input field instead).
 */
import { Tensor, expectShape, zeros } from "./tensor";

/** Options of {@link conv2d} and {@link conv2dBackward}. */
export interface Conv2dOptions {
  /** Rows/columns of zeros added on each side of the input (default 0: "valid"). */
  padding?: number;
}

/** Gradients of a conv2d loss with respect to its three inputs. */
export interface Conv2dGradients {
  /** dLoss/dx, the shape of x: [N, H, W, Cin]. */
  dx: Tensor;
  /** dLoss/dkernel, the shape of the kernel: [KH, KW, Cin, Cout]. */
  dKernel: Tensor;
  /** dLoss/dbias: [Cout]. */
  dBias: Tensor;
}

/** Sizes shared by forward and backward, checked once. */
interface ConvGeometry {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  outChannels: number;
  padding: number;
  outHeight: number;
  outWidth: number;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}

function convGeometry(op: string, x: Tensor, kernel: Tensor, options: Conv2dOptions): ConvGeometry {
  const padding = options.padding ?? 0;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`${op}: padding must be a non-negative integer, got ${padding}`);
  }
  expectShape(`${op} x`, x, [null, null, null, null]);
  const [batch, height, width, inChannels] = x.shape;
  expectShape(`${op} kernel for x ${shapeText(x)}`, kernel, [null, null, inChannels, null]);
  const [kernelHeight, kernelWidth, , outChannels] = kernel.shape;
  const outHeight = height + 2 * padding - kernelHeight + 1;
  const outWidth = width + 2 * padding - kernelWidth + 1;
  if (outHeight < 1 || outWidth < 1) {
    throw new RangeError(
      `${op}: kernel ${shapeText(kernel)} is larger than x ${shapeText(x)} padded by ${padding}`,
    );
  }
  return {
    batch,
    height,
    width,
    inChannels,
    kernelHeight,
    kernelWidth,
    outChannels,
    padding,
    outHeight,
    outWidth,
  };
}

/**
 * Forward 2-D convolution (cross-correlation), stride 1, zero padding `options.padding`.
 *
 * Input shape: x [N, H, W, Cin], kernel [KH, KW, Cin, Cout], bias [Cout]. Output shape:
 * [N, H + 2p − KH + 1, W + 2p − KW + 1, Cout] (p = padding). C1: [N, 32, 32, 1] →
 * [N, 28, 28, 6]; C5: [N, 5, 5, 16] → [N, 1, 1, 120].
 * @example
 * ```ts
 * const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * const k = tensor([2, 2, 1, 1], [1, 0, 0, 1]); // adds each pixel to its lower-right neighbour
 * const y = conv2d(x, k, tensor([1], [0.5])); // [1, 2, 2, 1]: 6.5, 8.5, 12.5, 14.5
 * ```
 */
export function conv2d(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor,
  options: Conv2dOptions = {},
): Tensor {
  const g = convGeometry("conv2d", x, kernel, options);
  expectShape(`conv2d bias for kernel ${shapeText(kernel)}`, bias, [g.outChannels]);
  const { height, width, inChannels: cin, kernelWidth, outChannels: cout, padding } = g;
  const y = zeros([g.batch, g.outHeight, g.outWidth, cout], x.data); // [N, Ho, Wo, Cout]
  const xs = x.data;
  const ks = kernel.data;
  const ys = y.data;
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const yBase = ((n * g.outHeight + oy) * g.outWidth + ox) * cout;
        for (let co = 0; co < cout; co++) ys[yBase + co] = bias.data[co];
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const iy = oy + ky - padding;
          if (iy < 0 || iy >= height) continue; // a zero of the padding adds nothing
          for (let kx = 0; kx < kernelWidth; kx++) {
            const ix = ox + kx - padding;
            if (ix < 0 || ix >= width) continue;
            const xBase = ((n * height + iy) * width + ix) * cin;
            const kBase = (ky * kernelWidth + kx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = xs[xBase + ci];
              const kRow = kBase + ci * cout;
              // Output channels innermost: both ys and ks are contiguous along co.
              for (let co = 0; co < cout; co++) ys[yBase + co] += xv * ks[kRow + co];
            }
          }
        }
      }
    }
  }
  return y;
}

/**
 * Backward of {@link conv2d}: given dLoss/dy, returns dLoss/dx, dLoss/dkernel and dLoss/dbias.
 * Each forward product x·k sends dy·k back to x and dy·x back to k; the bias collects Σ dy.
 *
 * Input shape: x [N, H, W, Cin], kernel [KH, KW, Cin, Cout], dy [N, Ho, Wo, Cout] (the forward's
 * output shape). Output shape: dx [N, H, W, Cin], dKernel [KH, KW, Cin, Cout], dBias [Cout].
 * @example
 * ```ts
 * const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * const k = tensor([2, 2, 1, 1], [1, 0, 0, 1]);
 * const dy = tensor([1, 2, 2, 1], [1, 1, 1, 1]); // loss = Σ y
 * const { dKernel, dBias } = conv2dBackward(x, k, dy);
 * // dKernel[ky, kx] = Σ of the 2×2 block tap (ky, kx) sees: [12, 16, 24, 28]; dBias = [4]
 * ```
 */
export function conv2dBackward(
  x: Tensor,
  kernel: Tensor,
  dy: Tensor,
  options: Conv2dOptions = {},
): Conv2dGradients {
  const g = convGeometry("conv2dBackward", x, kernel, options);
  expectShape(`conv2dBackward dy for x ${shapeText(x)} and kernel ${shapeText(kernel)}`, dy, [
    g.batch,
    g.outHeight,
    g.outWidth,
    g.outChannels,
  ]);
  const { height, width, inChannels: cin, kernelWidth, outChannels: cout, padding } = g;
  const dx = zeros(x.shape, x.data); // [N, H, W, Cin]
  const dKernel = zeros(kernel.shape, x.data); // [KH, KW, Cin, Cout]
  const dBias = zeros([cout], x.data); // [Cout]
  const xs = x.data;
  const ks = kernel.data;
  const dys = dy.data;
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const yBase = ((n * g.outHeight + oy) * g.outWidth + ox) * cout;
        for (let co = 0; co < cout; co++) dBias.data[co] += dys[yBase + co];
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const iy = oy + ky - padding;
          if (iy < 0 || iy >= height) continue; // padding zeros get no gradient
          for (let kx = 0; kx < kernelWidth; kx++) {
            const ix = ox + kx - padding;
            if (ix < 0 || ix >= width) continue;
            const xBase = ((n * height + iy) * width + ix) * cin;
            const kBase = (ky * kernelWidth + kx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = xs[xBase + ci];
              const kRow = kBase + ci * cout;
              let dxSum = 0;
              for (let co = 0; co < cout; co++) {
                const d = dys[yBase + co];
                dxSum += d * ks[kRow + co];
                dKernel.data[kRow + co] += d * xv;
              }
              dx.data[xBase + ci] += dxSum;
            }
          }
        }
      }
    }
  }
  return { dx, dKernel, dBias };
}

/** Second-derivative backward of a layer with a kernel and a bias. */
export interface KernelBackward2 {
  /** ∂²E/∂x² (diagonal), x's shape. */
  d2x: Tensor;
  /** h for the kernel, the kernel's shape. */
  hKernel: Tensor;
  /** h for the bias, [Cout]. */
  hBias: Tensor;
}

/**
 * Second derivatives back through {@link conv2d}: a shared kernel tap sums x²·d2y over every
 * position it touches; each input collects k²·d2y from every output it feeds.
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
 * const k = tensor([1, 1, 1, 1], [3]);
 * const { d2x, hKernel, hBias } = conv2dBackward2(x, k, tensor([1, 2, 2, 1], [1, 1, 1, 1]));
 * // d2x = [9, 9, 9, 9] (3²), hKernel = [30] (1 + 4 + 9 + 16), hBias = [4]
 * ```
 */
export function conv2dBackward2(
  x: Tensor,
  kernel: Tensor,
  d2y: Tensor,
  options: Conv2dOptions = {},
): KernelBackward2 {
  const padding = options.padding ?? 0;
  expectShape("conv2dBackward2 x", x, [null, null, null, null]);
  const [batch, height, width, cin] = x.shape;
  expectShape("conv2dBackward2 kernel", kernel, [null, null, cin, null]);
  const [kernelHeight, kernelWidth, , cout] = kernel.shape;
  const outHeight = height + 2 * padding - kernelHeight + 1;
  const outWidth = width + 2 * padding - kernelWidth + 1;
  expectShape("conv2dBackward2 d2y", d2y, [batch, outHeight, outWidth, cout]);
  const d2x = zeros(x.shape, x.data); // [N, H, W, Cin]
  const hKernel = zeros(kernel.shape, x.data); // [KH, KW, Cin, Cout]
  const hBias = zeros([cout], x.data); // [Cout]
  const ks = kernel.data;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const yBase = ((n * outHeight + oy) * outWidth + ox) * cout;
        for (let co = 0; co < cout; co++) hBias.data[co] += d2y.data[yBase + co];
        for (let ky = 0; ky < kernelHeight; ky++) {
          const iy = oy + ky - padding;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kernelWidth; kx++) {
            const ix = ox + kx - padding;
            if (ix < 0 || ix >= width) continue;
            const xBase = ((n * height + iy) * width + ix) * cin;
            const kBase = (ky * kernelWidth + kx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x.data[xBase + ci];
              const kRow = kBase + ci * cout;
              let sum = 0;
              for (let co = 0; co < cout; co++) {
                const d2 = d2y.data[yBase + co];
                sum += ks[kRow + co] * ks[kRow + co] * d2;
                hKernel.data[kRow + co] += xv * xv * d2;
              }
              d2x.data[xBase + ci] += sum;
            }
          }
        }
      }
    }
  }
  return { d2x, hKernel, hBias };
}
