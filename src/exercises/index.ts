/**
 * Checks for the notebooks' exercises: each takes what the learner wrote, tries it on cases
 * worked out from the paper and the library, prints "✓ …" or "✗ …" saying what is wrong, and
 * returns `{ ok, message }`. They never throw, so a notebook with an unfinished exercise still runs.
 */
export * from "./result";
export * from "./input";
export * from "./c1";
export * from "./s2";
export * from "./s2-backward";
export * from "./c3";
export * from "./c5";
export * from "./f6";
export * from "./init";
export * from "./rbf";
export * from "./training";
export * from "./experiments";
export * from "./backward";
export * from "./plateau";
export * from "./predictions";
