/**
 * What the image decoders (png.ts, netpbm.ts) share: the decoded-image shape and the one error
 * type of image files. No paper reference: reading pictures for `predict` is lenet5's addition.
 *
 * A decoded image keeps its channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) with every sample
 * scaled to 0…1 by its format's maximum (2^bitDepth − 1 for PNG, maxval for PGM/PPM).
 * Input shape: file bytes.  Output shape: samples [height, width, channels], row-major.
 */
import type { FileAccessFault } from "./regular-file";

/** Machine-friendly code for what is wrong with an image file. */
export type ImageFault =
  | FileAccessFault
  | "not-an-image"
  | "truncated"
  | "bad-crc"
  | "bad-header"
  | "bad-data"
  | "unsupported";

/**
 * The error of every image-file failure: which file, what kind of fault, and a message that
 * starts with the file so a learner sees at once which picture is wrong.
 * @example
 * ```ts
 * try {
 *   decodeImage(new TextEncoder().encode("hello"), "notes.txt");
 * } catch (error) {
 *   if (error instanceof ImageFileError) console.log(error.fault); // "not-an-image"
 * }
 * ```
 */
export class ImageFileError extends Error {
  /** Path (or label) of the offending file. */
  readonly file: string;
  /** Short code for the kind of fault, for programs; the message is for people. */
  readonly fault: ImageFault;

  /**
   * An error whose message is "`file`: `problem`".
   * @param file - path or label of the file; the message starts with it.
   * @param fault - short code for the kind of fault.
   * @param problem - what is wrong, in plain words.
   */
  constructor(file: string, fault: ImageFault, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "ImageFileError";
    this.file = file;
    this.fault = fault;
  }
}

/** Number of channels of a decoded image: gray, gray+alpha, RGB, RGBA. */
export type ChannelCount = 1 | 2 | 3 | 4;

/** A decoded image, before any conversion to gray. */
export interface DecodedImage {
  /** Which decoder read it. */
  readonly format: "png" | "pgm" | "ppm";
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  readonly channels: ChannelCount;
  /** Samples [height, width, channels], row-major, each in 0…1. */
  readonly samples: Float32Array;
}

/**
 * Largest picture a decoder accepts: 8,388,608 pixels (e.g. 4096×2048; a 4K screenshot,
 * 3840×2160, is 8.3 million). Not part of any format: a bound on memory and time, checked on
 * the header before any pixel is decoded, so a garbage or hostile header is a typed error
 * rather than gigabytes. Decoding takes up to ~40 bytes per pixel (16-bit RGBA), so ~350 MB at
 * the limit; a digit needs 28×28.
 */
export const MAX_IMAGE_PIXELS = 4096 * 2048;
/** Largest picture file read: 256 MiB (a plain-text PPM at the pixel limit fits). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The message of a picture over {@link MAX_IMAGE_PIXELS}, shared by the decoders.
 * @example
 * ```ts
 * tooManyPixels("PNG", 8192, 8192); // "PNG is 8192×8192 = 67,108,864 pixels, more than …"
 * ```
 */
export function tooManyPixels(format: string, width: number, height: number): string {
  const pixels = (width * height).toLocaleString("en-US");
  return (
    `${format} is ${width}×${height} = ${pixels} pixels, more than the ` +
    `${MAX_IMAGE_PIXELS.toLocaleString("en-US")} (e.g. 4096×2048) lenet5 decodes; scale it down`
  );
}
