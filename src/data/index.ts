/**
 * The data module: bytes on disk become batches. IDX parsing and writing (idx), the MNIST
 * sources and their checks (mnist), optional download (download), paper or modern input
 * normalisation with 28→32 centring (preprocess), and typed-array mini-batches (batches).
 * Nothing else in lenet5 reads data files.
 */
export * from "./idx";
export * from "./mnist";
export * from "./download";
export * from "./preprocess";
export * from "./batches";
