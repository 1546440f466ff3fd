/**
 * What the image decoders (png.ts, netpbm.ts) share: the decoded-image shape and the one error
 * type of image files. No paper reference: reading pictures for `predict` is lenet5's addition.
 *
 * A decoded image keeps its channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) with every sample
 * scaled to 0…1 by its format's maximum (2^bitDepth − 1 for PNG, maxval for PGM/PPM).
 * Input shape: file bytes.  Output shape: samples [height, width, channels], row-major.
 */

/** Machine-friendly code for what is wrong with an image file. */
export type ImageFault =
  | "missing-file"
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
 * Largest pixel count a decoder accepts. Not part of any format: a guard so a garbage header is
 * reported as a bad header rather than an attempt to allocate gigabytes.
 */
export const MAX_IMAGE_PIXELS = 1 << 26;
