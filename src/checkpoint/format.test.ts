import { before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../backend";
import { rbfPrototypes } from "../paper";
import {
  CheckpointError,
  decodeDataFile,
  decodeFloat32,
  encodeFloat32,
  modelFromCheckpoint,
  parseCheckpoint,
  parseManifest,
  sizeOf,
  type CheckpointFault,
  type CheckpointManifest,
} from "./format";
import { SHIPPED_WEIGHTS_DIR } from "../train/pretrained";

before(() => initBackend());

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const shippedDir = (name: string) => join(SHIPPED_WEIGHTS_DIR, name);
const shippedManifest = (name: string): CheckpointManifest =>
  JSON.parse(readFileSync(join(shippedDir(name), "manifest.json"), "utf8"));

/** A source reading the shipped folder of `name`, with some files replaced or removed. */
function shippedSource(name: string, replace: Record<string, Uint8Array | undefined> = {}) {
  const dir = shippedDir(name);
  return {
    dir,
    manifestPath: join(dir, "manifest.json"),
    pathOf: (file: string) => join(dir, file),
    readFile: (file: string) =>
      file in replace ? replace[file] : new Uint8Array(readFileSync(join(dir, file))),
    sha256: sha256Hex,
  };
}

/** The fault a call throws, or "none". */
function faultOf(run: () => unknown): CheckpointFault | "none" {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CheckpointError, `not a CheckpointError: ${error}`);
    return error.fault;
  }
  return "none";
}

test("doc examples: encodeFloat32 and decodeFloat32 are little-endian float32, inverse of each other", () => {
  // 1.0f = 0x3F800000: little-endian bytes 00 00 80 3F.
  assert.deepEqual([...encodeFloat32([Float32Array.of(1)])], [0, 0, 128, 63]);
  assert.deepEqual(decodeFloat32(Uint8Array.of(0, 0, 128, 63), [{ name: "b", shape: [1] }]), [
    { name: "b", shape: [1], data: Float32Array.of(1) },
  ]);
  const a = Float32Array.of(-2.5, 0.1, 3);
  const b = Float32Array.of(7);
  const round = decodeFloat32(encodeFloat32([a, b]), [
    { name: "a", shape: [3] },
    { name: "b", shape: [1, 1] },
  ]);
  assert.deepEqual(
    round.map((w) => [...w.data]),
    [[...a], [...b]],
  );
  assert.equal(sizeOf([5, 5, 1, 6]), 150); // C1's kernel: 5·5·1·6
});

test("doc example: parseManifest reads the shipped historical manifest", () => {
  const manifest = parseManifest(shippedManifest("historical"), "weights/historical/manifest.json");
  assert.match(manifest.weights.file, /^weights-[0-9a-f]{16}\.bin$/);
  // 60,000 trainable parameters + 840 prototype values, 4 bytes each.
  assert.equal(manifest.weights.bytes, 4 * (60000 + 840));
});

test("parseManifest rejects a bad format, version, model, epoch or size, naming the manifest", () => {
  const good = shippedManifest("historical");
  const fault = (raw: unknown, expectModel?: "modern") =>
    faultOf(() => parseManifest(raw, "m.json", expectModel ? { expectModel } : {}));
  assert.equal(fault(good), "none");
  assert.equal(fault(null), "unknown-format");
  assert.equal(fault({ ...good, format: "keras" }), "unknown-format");
  assert.equal(fault({ ...good, formatVersion: 2 }), "unknown-format");
  assert.equal(fault({ ...good, modelName: "lenet4" }), "bad-manifest");
  assert.equal(fault(good, "modern"), "wrong-model");
  assert.equal(fault({ ...good, epoch: -1 }), "bad-manifest");
  assert.equal(fault({ ...good, weights: { ...good.weights, bytes: 4 } }), "bad-manifest");
  assert.equal(fault({ ...good, weights: { ...good.weights, file: "../x.bin" } }), "bad-manifest");
  assert.equal(fault({ ...good, rngState: [1, 2] }), "bad-manifest");
  assert.throws(() => parseManifest(null, "m.json"), /^CheckpointError: m\.json: /);
});

test("doc example: decodeDataFile checks size, then SHA-256, then decodes", () => {
  const bytes = encodeFloat32([Float32Array.of(1, 2)]);
  const entry = {
    file: "weights-0000000000000000.bin",
    bytes: 8,
    sha256: sha256Hex(bytes),
    tensors: [{ name: "w", shape: [2] }],
  };
  assert.deepEqual([...decodeDataFile(bytes, entry, "w.bin", sha256Hex)[0].data], [1, 2]);
  assert.equal(
    faultOf(() => decodeDataFile(bytes.subarray(4), entry, "w.bin", sha256Hex)),
    "truncated",
  );
  const longer = new Uint8Array(12);
  longer.set(bytes);
  assert.equal(
    faultOf(() => decodeDataFile(longer, entry, "w.bin", sha256Hex)),
    "size-mismatch",
  );
  const flipped = bytes.slice();
  flipped[0] ^= 1;
  assert.equal(
    faultOf(() => decodeDataFile(flipped, entry, "w.bin", sha256Hex)),
    "checksum-mismatch",
  );
});

test("doc example: parseCheckpoint reads the shipped weights through any file reader", () => {
  const checkpoint = parseCheckpoint(shippedManifest("historical"), shippedSource("historical"));
  assert.equal(checkpoint.epoch, 20);
  assert.equal(checkpoint.weights.length, 13); // C1…F6 kernels and biases + the prototypes
  assert.deepEqual([...checkpoint.weights[12].data], [...rbfPrototypes()]);
  const file = shippedManifest("historical").weights.file;
  assert.equal(
    faultOf(() =>
      parseCheckpoint(
        shippedManifest("historical"),
        shippedSource("historical", { [file]: undefined }),
      ),
    ),
    "missing-file",
  );
});

test("doc example: modelFromCheckpoint builds modern with the batch norm its recipe records", () => {
  const checkpoint = parseCheckpoint(shippedManifest("modern"), shippedSource("modern"));
  const model = modelFromCheckpoint(checkpoint, "weights/modern/manifest.json");
  assert.ok(model.layers.some((layer) => layer.name === "C1_bn"));
  model.dispose();
  // The same weights do not fit a model built without batch norm: the error names the manifest.
  const plain = { ...checkpoint, recipe: { modelOptions: {} } };
  assert.throws(() => modelFromCheckpoint(plain, "weights/modern/manifest.json"), {
    fault: "shape-mismatch",
    message: /^weights\/modern\/manifest\.json: holds 18 weights/,
  });
});
