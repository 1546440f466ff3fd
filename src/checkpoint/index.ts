/**
 * Checkpoints: the format (./format.ts — manifest, validation, bytes ↔ weights; pure, so the
 * browser reads the shipped weights through it too) and its files on disk in Node (./files.ts —
 * atomic saving, checked loading).
 */
export * from "./format";
export * from "./files";
