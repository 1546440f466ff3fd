/**
 * A picture of a digit → the 28×28 form the models were trained on, for `predict`: read a PNG or
 * PGM/PPM file (png.ts, netpbm.ts; no image library), turn it to gray, find which way round it
 * is, and redo MNIST's own preparation of a digit.
 *
 * MNIST's preparation (the MNIST page; the paper, Section III-A, describes the set): each NIST
 * digit's bounding box was scaled to fit a 20×20 box preserving its aspect ratio, anti-aliased
 * into gray levels, then placed in a 28×28 field so its centre of mass sits at the centre.
 * Here, step by step:
 *   1. gray = 0.299·R + 0.587·G + 0.114·B (ITU-R BT.601 luma on the stored values); an alpha
 *      channel is composited over white, or over black when the visible content is light
 *      (alpha-weighted mean gray > 0.5), so the strokes always contrast with what shows through.
 *   2–5. polarity, ink, the 20×20 box and the centring by centre of mass: mnist-form.ts, which
 *      holds the arithmetic without any file access so the browser can use it too.
 * Assumptions: one digit per picture, on a fairly even background (a scan, a screenshot, a
 * drawing app's export).
 *
 * Input shape: a file (any size, gray or colour, either polarity).
 * Output shape: `imageToMnist` → Uint8Array [28, 28] (0 background, 255 ink), ready for
 * `toNetworkInput(digit, 1, { size, normalisation })`.
 */
import { ImageFileError, MAX_IMAGE_FILE_BYTES, type DecodedImage } from "./image-codec";
import { decodePng, isPng } from "./png";
import { decodeNetpbm, isNetpbm } from "./netpbm";
import { detectPolarity, type Polarity } from "./mnist-form";
import { type FileAccessFault, readRegularFile } from "./regular-file";

export {
  ImageFileError,
  MAX_IMAGE_FILE_BYTES,
  MAX_IMAGE_PIXELS,
  type ChannelCount,
  type DecodedImage,
  type ImageFault,
} from "./image-codec";
export {
  INK_THRESHOLD,
  MIN_DIGIT_SIDE,
  MNIST_BOX,
  MNIST_CENTRE,
  detectPolarity,
  digitWarning,
  type DigitWarning,
  imageToMnist,
  type MnistFormOptions,
  type Polarity,
} from "./mnist-form";

/** An image file read as gray. */
export interface ImageFile {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Gray levels [height, width], row-major, 0 black … 1 white. */
  readonly gray: Float32Array;
  /** Ink on paper ("dark-on-light") or MNIST's way round ("light-on-dark"). */
  readonly polarity: Polarity;
  /** Which decoder read it. */
  readonly format: DecodedImage["format"];
}

/** Formats lenet5 recognises but does not read, by their first bytes. */
const OTHER_FORMATS: readonly { name: string; magic: readonly number[] }[] = [
  { name: "JPEG", magic: [0xff, 0xd8, 0xff] },
  { name: "GIF", magic: [0x47, 0x49, 0x46, 0x38] },
  { name: "BMP", magic: [0x42, 0x4d] },
  { name: "TIFF", magic: [0x49, 0x49, 0x2a, 0x00] },
  { name: "TIFF", magic: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: "WebP", magic: [0x52, 0x49, 0x46, 0x46] },
];

/**
 * Decodes image bytes by their content (not their name): PNG, or PGM/PPM. `file` names them in
 * errors; anything else throws an {@link ImageFileError} ("unsupported" for a known other image
 * format, "not-an-image" otherwise).
 * @example
 * ```ts
 * decodeImage(encodePgm(new Uint8Array([0, 255]), 2, 1), "two.pgm").format; // "pgm"
 * ```
 */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes, file);
  if (isNetpbm(bytes)) return decodeNetpbm(bytes, file);
  const other = OTHER_FORMATS.find(({ magic }) => magic.every((b, i) => bytes[i] === b));
  if (other) {
    throw new ImageFileError(
      file,
      "unsupported",
      `looks like a ${other.name} image; lenet5 reads PNG and PGM/PPM only (convert it to PNG)`,
    );
  }
  if (bytes.length === 0) throw new ImageFileError(file, "not-an-image", "is empty, not an image");
  const start = Array.from(bytes.subarray(0, 16), (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".",
  ).join("");
  throw new ImageFileError(
    file,
    "not-an-image",
    `is not a PNG or PGM/PPM image (it starts with ${JSON.stringify(start)})`,
  );
}

/**
 * One gray level per pixel (0 black … 1 white) from a decoded image: BT.601 luma for colour,
 * alpha composited over white, or over black when the visible content is light (see the header).
 * @example
 * ```ts
 * toGray({ format: "ppm", width: 1, height: 1, channels: 3, samples: Float32Array.of(1, 0, 0) });
 * // Float32Array [0.299]: pure red
 * ```
 */
export function toGray(image: DecodedImage): Float32Array {
  const { width, height, channels, samples } = image;
  const pixels = width * height;
  const hasColour = channels >= 3;
  const hasAlpha = channels === 2 || channels === 4;
  const luma = new Float32Array(pixels); // [h, w]
  for (let i = 0; i < pixels; i++) {
    const at = i * channels;
    luma[i] = hasColour
      ? 0.299 * samples[at] + 0.587 * samples[at + 1] + 0.114 * samples[at + 2]
      : samples[at];
  }
  if (!hasAlpha) return luma;
  const alpha = new Float32Array(pixels); // [h, w]
  for (let i = 0; i < pixels; i++) alpha[i] = samples[i * channels + channels - 1];
  if (alpha.every((a) => a === 1)) return luma;
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < pixels; i++) {
    weighted += alpha[i] * luma[i];
    total += alpha[i];
  }
  const backdrop = total > 0 && weighted / total > 0.5 ? 0 : 1; // contrast with the content
  for (let i = 0; i < pixels; i++) luma[i] = alpha[i] * luma[i] + (1 - alpha[i]) * backdrop;
  return luma;
}

/**
 * Reads a PNG or PGM/PPM file as gray levels and detects its polarity. Throws an
 * {@link ImageFileError} naming the file when it is missing, not a regular file (a folder, a
 * FIFO, a device), unreadable, larger than MAX_IMAGE_FILE_BYTES or MAX_IMAGE_PIXELS, not an
 * image, or damaged.
 * @example
 * ```ts
 * const picture = readImageFile("digit.png"); // { width, height, gray, polarity, format }
 * const digit = imageToMnist(picture.gray, picture.width, picture.height, { polarity: picture.polarity });
 * const input = toNetworkInput(digit, 1, { size: 32, normalisation: "paper" }); // [1, 32, 32, 1]
 * ```
 */
export function readImageFile(path: string): ImageFile {
  // Only a regular file of sane size is read: a FIFO or /dev/zero would hang or grow forever.
  const bytes = readRegularFile(
    path,
    MAX_IMAGE_FILE_BYTES,
    "a picture",
    (fault: FileAccessFault, problem: string) => new ImageFileError(path, fault, problem),
  );
  const image = decodeImage(bytes, path);
  const gray = toGray(image);
  return {
    width: image.width,
    height: image.height,
    gray,
    polarity: detectPolarity(gray, image.width, image.height),
    format: image.format,
  };
}
