// Fuzz test of the data readers (issue 16): valid IDX files (raw and gzipped), PNG and PGM/PPM
// pictures, mutated by a seeded Rng — bit flips, truncations, inflated lengths and sizes,
// swapped, duplicated and dropped PNG chunks (CRCs fixed so the decoder goes deeper), inserted
// and deleted bytes, appended garbage, decompression bombs. For every input the reader must
// return a valid result or throw its own typed error naming the file (IdxError, ImageFileError)
// — never a RangeError from deep inside, never a hang — within a time and memory bound. Reading
// through a file and parsing the same bytes in memory must agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, gzipSync } from "node:zlib";
import { Rng } from "../rng";
import { gzipBomb, pngChunk, zlibBomb } from "../test-support/bombs";
import { IdxError, encodeIdxImages, encodeIdxLabels, parseIdx, readIdxFile } from "./idx";
import { ImageFileError, decodeImage, readImageFile } from "./image-file";
import { encodePgm } from "./netpbm";
import { encodePngSamples } from "./png";

/** The seed (LENET5_FUZZ_SEED=n explores another); a failure names the seed file and case. */
const SEED = Number(process.env.LENET5_FUZZ_SEED ?? 16);
/** Mutated inputs per valid file. */
const CASES_PER_FILE = 120;
/** No single input may take longer (a hang would take forever). */
const MAX_SECONDS_PER_INPUT = 2;
/** Peak resident memory of this test process, bombs included (it starts near 100 MB). */
const MAX_RSS_MB = 512;

/** A random integer in [0, n). */
const below = (rng: Rng, n: number) => Math.floor(rng.next() * n);

/** The valid IDX files the mutations start from. */
function idxSeeds(rng: Rng): Uint8Array[] {
  const images = encodeIdxImages({
    count: 4,
    rows: 28,
    cols: 28,
    pixels: Uint8Array.from({ length: 4 * 784 }, () => below(rng, 256)),
  });
  const labels = encodeIdxLabels(Uint8Array.from({ length: 7 }, () => below(rng, 10)));
  return [images, labels, gzipSync(images), gzipSync(labels)];
}

/** The valid pictures the mutations start from: every PNG colour type, interlacing, PGM, PPM. */
function imageSeeds(rng: Rng): Uint8Array[] {
  const samples = (n: number, max: number) => Array.from({ length: n }, () => below(rng, max + 1));
  const [w, h] = [12, 10];
  const gray = Uint8Array.from(samples(w * h, 255));
  return [
    encodePngSamples({ width: w, height: h, samples: gray }),
    encodePngSamples({ width: w, height: h, colourType: 2, samples: samples(w * h * 3, 255) }),
    encodePngSamples({
      width: w,
      height: h,
      colourType: 3,
      bitDepth: 4,
      samples: samples(w * h, 3),
      palette: [
        [0, 0, 0],
        [255, 0, 0],
        [0, 255, 0],
        [255, 255, 255],
      ],
      transparency: [255, 128],
    }),
    encodePngSamples({
      width: w,
      height: h,
      colourType: 4,
      bitDepth: 16,
      samples: samples(w * h * 2, 65535),
      interlaced: true,
    }),
    encodePngSamples({ width: w, height: h, colourType: 6, samples: samples(w * h * 4, 255) }),
    encodePgm(gray, w, h),
    encodePgm(gray, w, h, { plain: true }),
    new TextEncoder().encode(`P3\n2 2\n255\n${samples(12, 255).join(" ")}\n`),
  ];
}

/** The chunks of a PNG (after its signature) as [start, end) byte ranges, if it parses. */
function chunkRanges(png: Uint8Array): [number, number][] {
  const ranges: [number, number][] = [];
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 12 <= png.length;) {
    const end = at + 12 + view.getUint32(at);
    if (end > png.length) break;
    ranges.push([at, end]);
    at = end;
  }
  return ranges;
}

/** Re-stamps every chunk's CRC, so a mutation inside a chunk reaches the decoder. */
function fixCrcs(png: Uint8Array): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  for (const [start, end] of chunkRanges(out)) {
    view.setUint32(end - 4, crc32(out.subarray(start + 4, end - 4)) >>> 0);
  }
  return out;
}

/** Writes a big-endian u32 at `at` (if it fits). */
function setU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  if (at + 4 <= out.length) new DataView(out.buffer).setUint32(at, value >>> 0);
  return out;
}

const HUGE = [0xffffffff, 0x80000000, 0x7fffffff, 1 << 24, 60000, 4097, 0];

/** The mutations, each a named function of (bytes, rng). */
const MUTATIONS: Record<string, (bytes: Uint8Array, rng: Rng) => Uint8Array> = {
  "bit flips": (bytes, rng) => {
    const out = bytes.slice();
    for (let i = 0, n = 1 + below(rng, 4); i < n && out.length > 0; i++) {
      out[below(rng, out.length)] ^= 1 << below(rng, 8);
    }
    return out;
  },
  truncation: (bytes, rng) => bytes.subarray(0, below(rng, bytes.length)),
  "inflated header number": (bytes, rng) =>
    setU32(bytes, 4 * below(rng, 4), HUGE[below(rng, HUGE.length)]),
  "inflated PNG length or size": (bytes, rng) => {
    const chunks = chunkRanges(bytes);
    if (chunks.length === 0) return bytes;
    const [start] = chunks[below(rng, chunks.length)];
    const target = rng.next() < 0.5 ? start : 16 + 4 * below(rng, 2); // a length, or IHDR's w/h
    return fixCrcs(setU32(bytes, target, HUGE[below(rng, HUGE.length)]));
  },
  "bytes changed inside a chunk, CRC fixed": (bytes, rng) => {
    const out = bytes.slice();
    for (let i = 0; i < 3; i++) out[8 + below(rng, Math.max(1, out.length - 8))] = below(rng, 256);
    return fixCrcs(out);
  },
  "swapped, duplicated or dropped chunks": (bytes, rng) => {
    const chunks = chunkRanges(bytes).map(([s, e]) => bytes.subarray(s, e));
    if (chunks.length < 2) return bytes;
    const i = below(rng, chunks.length);
    const j = below(rng, chunks.length);
    const kind = below(rng, 3);
    if (kind === 0) [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
    else if (kind === 1) chunks.splice(i, 0, chunks[j]);
    else chunks.splice(i, 1);
    return Uint8Array.from(Buffer.concat([bytes.subarray(0, 8), ...chunks]));
  },
  "inserted or deleted bytes": (bytes, rng) => {
    const at = below(rng, bytes.length + 1);
    const extra = Uint8Array.from({ length: below(rng, 9) }, () => below(rng, 256));
    const cut = rng.next() < 0.5 ? below(rng, 9) : 0;
    return Uint8Array.from(Buffer.concat([bytes.subarray(0, at), extra, bytes.subarray(at + cut)]));
  },
  "appended garbage": (bytes, rng) =>
    Uint8Array.from(
      Buffer.concat([
        bytes,
        Uint8Array.from({ length: 1 + below(rng, 32) }, () => below(rng, 256)),
      ]),
    ),
  "gzip of a mutated file": (bytes, rng) => gzipSync(MUTATIONS["bit flips"](bytes, rng)),
};

/** What the inputs gave: "ok" or a fault code, with how often. */
type Outcomes = Map<string, number>;

/**
 * Checks one input through `read` (file) and `parse` (memory); returns how long it took and
 * what it gave.
 */
function checkInput(
  name: string,
  bytes: Uint8Array,
  path: string,
  parse: (bytes: Uint8Array, file: string) => unknown,
  read: (path: string) => unknown,
  ErrorType: typeof IdxError | typeof ImageFileError,
): { seconds: number; outcome: string } {
  const start = performance.now();
  const outcome = (run: () => unknown, file: string): string => {
    try {
      run();
      return "ok";
    } catch (error) {
      assert.ok(error instanceof ErrorType, `${name}: ${String(error)}\n${(error as Error).stack}`);
      assert.equal(error.file, file, name);
      assert.ok(error.message.startsWith(`${file}: `), `${name}: ${error.message}`);
      return error.fault;
    }
  };
  writeFileSync(path, bytes);
  const fromMemory = outcome(() => parse(bytes, "input"), "input");
  const fromFile = outcome(() => read(path), path);
  assert.equal(fromFile, fromMemory, `${name}: reading the file and parsing its bytes disagree`);
  return { seconds: (performance.now() - start) / 1000, outcome: fromMemory };
}

/** Runs every mutation CASES_PER_FILE/|mutations| times on each seed file. */
async function fuzz(
  seeds: Uint8Array[],
  path: string,
  parse: (bytes: Uint8Array, file: string) => unknown,
  read: (path: string) => unknown,
  ErrorType: typeof IdxError | typeof ImageFileError,
  rng: Rng,
): Promise<Outcomes> {
  const names = Object.keys(MUTATIONS);
  const outcomes: Outcomes = new Map();
  for (const [s, seed] of seeds.entries()) {
    checkInput(`seed ${s}`, seed, path, parse, read, ErrorType);
    for (let c = 0; c < CASES_PER_FILE; c++) {
      const mutation = names[c % names.length];
      const bytes = MUTATIONS[mutation](seed, rng);
      const { seconds, outcome } = checkInput(
        `seed ${s}, case ${c} (${mutation})`,
        bytes,
        path,
        parse,
        read,
        ErrorType,
      );
      assert.ok(seconds < MAX_SECONDS_PER_INPUT, `seed ${s}, case ${c} took ${seconds} s`);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (c % 20 === 0) await new Promise((resolve) => setImmediate(resolve)); // let a timeout fire
    }
  }
  return outcomes;
}

/** Total inputs, and a readable summary for failure messages. */
function summary(outcomes: Outcomes): { inputs: number; text: string } {
  const inputs = [...outcomes.values()].reduce((a, b) => a + b, 0);
  return { inputs, text: JSON.stringify(Object.fromEntries(outcomes)) };
}

test(
  "fuzz: mutated IDX files (raw and gzip) give a result or an IdxError naming the file",
  { timeout: 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "lenet5-fuzz-idx-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const rng = new Rng(SEED);
    const seeds = idxSeeds(rng);
    const header = seeds[0].subarray(0, 16);
    seeds.push(gzipBomb(64 << 20, header), gzipBomb(64 << 20)); // bombs, mutated in turn too
    const outcomes = await fuzz(seeds, join(dir, "input"), parseIdx, readIdxFile, IdxError, rng);
    const { inputs, text } = summary(outcomes);
    console.log(`IDX fuzz, seed ${SEED}: ${text}`);
    assert.ok(inputs >= 700, `${inputs} inputs`);
    // The mutations reach deep: valid results and many different faults, not one error for all.
    assert.ok(outcomes.has("ok") && outcomes.size >= 6, text);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    assert.ok(rssMb < MAX_RSS_MB, `peak RSS ${rssMb.toFixed(0)} MB`);
  },
);

test(
  "fuzz: mutated PNG, PGM and PPM pictures give an image or an ImageFileError naming the file",
  { timeout: 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "lenet5-fuzz-image-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const rng = new Rng(SEED + 1);
    const seeds = imageSeeds(rng);
    const png = seeds[0];
    const [idatStart, idatEnd] = chunkRanges(png)[1]; // IHDR, then IDAT
    const bomb = Buffer.concat([
      png.subarray(0, idatStart),
      pngChunk("IDAT", zlibBomb(64 << 20)),
      png.subarray(idatEnd),
    ]);
    seeds.push(Uint8Array.from(bomb));
    const outcomes = await fuzz(
      seeds,
      join(dir, "input"),
      decodeImage,
      readImageFile,
      ImageFileError,
      rng,
    );
    const { inputs, text } = summary(outcomes);
    console.log(`picture fuzz, seed ${SEED}: ${text}`);
    assert.ok(inputs >= 1000, `${inputs} inputs`);
    assert.ok(outcomes.has("ok") && outcomes.size >= 6, text);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    assert.ok(rssMb < MAX_RSS_MB, `peak RSS ${rssMb.toFixed(0)} MB`);
  },
);
