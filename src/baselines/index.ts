/**
 * Baselines a chapter computes itself beside the paper's Fig. 9: a linear classifier and
 * k-nearest neighbours on raw pixels (Section III-C.1 and III-C.2).
 */
export * from "./linear";
export * from "./knn";
