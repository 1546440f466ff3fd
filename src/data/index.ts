/**
 * The data module: bytes on disk become batches. IDX parsing and writing (idx), the MNIST
 * sources and their checks (mnist), optional download (download), paper or modern input
 * normalisation with 28→32 centring (preprocess), typed-array mini-batches (batches), the paper's
 * random affine distortions (distort), and pictures for `predict`: PNG and PGM/PPM files brought
 * to MNIST's 28×28 form (image-file, png, netpbm). Nothing else in lenet5 reads data files; every
 * file is read through regular-file (regular files only, within a size limit) and every gzip
 * stream inflated through gzip (within the size its header allows).
 */
export * from "./idx";
export * from "./mnist";
export * from "./download";
export * from "./preprocess";
export * from "./batches";
export * from "./distort";
export * from "./image-file";
export * from "./png";
export * from "./netpbm";
export type { FileAccessFault } from "./regular-file";
