// Every test here talks to a node:http server on 127.0.0.1 (port 0) or to an injected fetch:
// none touches the network.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { IdxError, type IdxFault, encodeIdxImages, encodeIdxLabels } from "./idx";
import { type DownloadProgress, downloadMnist } from "./download";
import {
  type ExpectedDigests,
  MNIST_FILE_NAMES,
  type MnistFileName,
  loadMnist,
  sha256Hex,
} from "./mnist";

/** Raw bytes of a tiny MNIST-format set: 4 training and 2 test images of 28×28. */
function tinySet(): Record<MnistFileName, Uint8Array> {
  const images = (count: number) =>
    encodeIdxImages({
      count,
      rows: 28,
      cols: 28,
      pixels: Uint8Array.from({ length: count * 784 }, (_, i) => (i * 13) % 256),
    });
  const labels = (count: number) =>
    encodeIdxLabels(Uint8Array.from({ length: count }, (_, i) => (i * 3) % 10));
  return {
    "train-images-idx3-ubyte": images(4),
    "train-labels-idx1-ubyte": labels(4),
    "t10k-images-idx3-ubyte": images(2),
    "t10k-labels-idx1-ubyte": labels(2),
  };
}

function digestsOf(set: Record<MnistFileName, Uint8Array>): ExpectedDigests {
  return Object.fromEntries(
    MNIST_FILE_NAMES.map((name) => [
      name,
      { bytes: set[name].length, sha256: sha256Hex(set[name]) },
    ]),
  );
}

/** Serves `files` (URL path → body) on 127.0.0.1 and answers 404 to anything else. */
async function serve(files: Map<string, Uint8Array>): Promise<{ base: string; server: Server }> {
  const server = createServer((request, response) => {
    const body = files.get(request.url ?? "");
    if (!body) {
      response.writeHead(404, "Not Found").end();
      return;
    }
    response.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}/mnist`, server };
}

/** A server with the gzipped tiny set under /mnist/<name>.gz. */
function gzippedFiles(set: Record<MnistFileName, Uint8Array>): Map<string, Uint8Array> {
  return new Map(MNIST_FILE_NAMES.map((name) => [`/mnist/${name}.gz`, gzipSync(set[name])]));
}

async function withServerAndDir(
  files: Map<string, Uint8Array>,
  fn: (base: string, dir: string) => Promise<void>,
): Promise<void> {
  const { base, server } = await serve(files);
  const dir = mkdtempSync(join(tmpdir(), "lenet5-download-"));
  try {
    await fn(base, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  }
}

async function assertRejectsWith(
  promise: Promise<unknown>,
  fault: IdxFault,
  file: string,
): Promise<IdxError> {
  let caught: unknown;
  await promise.catch((error: unknown) => {
    caught = error;
  });
  assert.ok(caught instanceof IdxError, `expected IdxError, got ${String(caught)}`);
  assert.equal(caught.fault, fault, caught.message);
  assert.equal(caught.file, file);
  assert.ok(caught.message.startsWith(`${file}: `), caught.message);
  return caught;
}

test("doc example: downloads, verifies and writes the four raw files; loadMnist reads them", async () => {
  const set = tinySet();
  await withServerAndDir(gzippedFiles(set), async (base, dir) => {
    const to = join(dir, "data", "mnist"); // does not exist yet
    const progress: DownloadProgress[] = [];
    const files = await downloadMnist({
      to,
      mirror: base, // no trailing slash: the base is still a folder
      expected: digestsOf(set),
      onProgress: (p) => progress.push(p),
    });
    const test = loadMnist({ split: "test", dir: to });
    assert.equal(test.count, 2);
    assert.deepEqual([...test.labels], [0, 3]);

    assert.deepEqual(
      files.map((f) => [f.name, f.bytes, f.checksumVerified]),
      MNIST_FILE_NAMES.map((name) => [name, set[name].length, true]),
    );
    for (const name of MNIST_FILE_NAMES) {
      assert.deepEqual(new Uint8Array(readFileSync(join(to, name))), set[name], name);
      const last = progress.filter((p) => p.name === name).at(-1);
      const gzBytes = gzipSync(set[name]).length;
      assert.deepEqual([last?.receivedBytes, last?.totalBytes], [gzBytes, gzBytes], name);
      assert.equal(last?.url, `${base}/${name}.gz`);
    }
    assert.deepEqual(readdirSync(to).sort(), [...MNIST_FILE_NAMES].sort()); // no temp files left
  });
});

test("a checksum mismatch rejects naming the file and leaves the destination untouched", async () => {
  const set = tinySet();
  await withServerAndDir(gzippedFiles(set), async (base, dir) => {
    writeFileSync(join(dir, "train-images-idx3-ubyte"), "the old file");
    const expected: ExpectedDigests = {
      ...digestsOf(set),
      // The last file fetched is wrong, so three good files were already in memory.
      "t10k-labels-idx1-ubyte": {
        bytes: set["t10k-labels-idx1-ubyte"].length,
        sha256: "f".repeat(64),
      },
    };
    const error = await assertRejectsWith(
      downloadMnist({ to: dir, mirror: `${base}/`, expected }),
      "checksum-mismatch",
      `${base}/t10k-labels-idx1-ubyte.gz`,
    );
    assert.match(error.message, /SHA-256/);
    assert.deepEqual(readdirSync(dir), ["train-images-idx3-ubyte"]);
    assert.equal(readFileSync(join(dir, "train-images-idx3-ubyte"), "utf8"), "the old file");
  });
});

test("the official table is the default: a tiny set is rejected as 'size-mismatch'", async () => {
  const set = tinySet();
  await withServerAndDir(gzippedFiles(set), async (base, dir) => {
    const error = await assertRejectsWith(
      downloadMnist({ to: dir, mirror: base }),
      "size-mismatch",
      `${base}/train-images-idx3-ubyte.gz`,
    );
    assert.match(error.message, /expected 47040016/);
    assert.deepEqual(readdirSync(dir), []);
  });
});

test("expected: null checks structure only (another MNIST-format set on your own mirror)", async () => {
  const set = tinySet();
  await withServerAndDir(gzippedFiles(set), async (base, dir) => {
    const files = await downloadMnist({ to: dir, mirror: base, expected: null });
    assert.ok(files.every((f) => !f.checksumVerified));
    assert.equal(loadMnist({ split: "train", dir }).count, 4);
  });
});

test("HTTP 404 is 'download-failed' naming the URL; nothing is written", async () => {
  const files = gzippedFiles(tinySet());
  files.delete("/mnist/t10k-images-idx3-ubyte.gz");
  await withServerAndDir(files, async (base, dir) => {
    const error = await assertRejectsWith(
      downloadMnist({ to: dir, mirror: base, expected: null }),
      "download-failed",
      `${base}/t10k-images-idx3-ubyte.gz`,
    );
    assert.match(error.message, /HTTP 404/);
    assert.deepEqual(readdirSync(dir), []);
  });
});

test("a corrupt gzip from the mirror is 'bad-gzip' naming the URL", async () => {
  const files = gzippedFiles(tinySet());
  files.set("/mnist/train-labels-idx1-ubyte.gz", new Uint8Array([0x1f, 0x8b, 0, 1, 2, 3, 4, 5]));
  await withServerAndDir(files, async (base, dir) => {
    await assertRejectsWith(
      downloadMnist({ to: dir, mirror: base, expected: null }),
      "bad-gzip",
      `${base}/train-labels-idx1-ubyte.gz`,
    );
    assert.deepEqual(readdirSync(dir), []);
  });
});

test("image and label counts that disagree are 'count-mismatch'; nothing is written", async () => {
  const set = tinySet();
  set["train-labels-idx1-ubyte"] = encodeIdxLabels(new Uint8Array([1, 2, 3])); // 3 labels, 4 images
  await withServerAndDir(gzippedFiles(set), async (base, dir) => {
    const error = await assertRejectsWith(
      downloadMnist({ to: dir, mirror: base, expected: null }),
      "count-mismatch",
      `${base}/train-images-idx3-ubyte.gz`,
    );
    assert.ok(error.message.includes(`${base}/train-labels-idx1-ubyte.gz`), error.message);
    assert.deepEqual(readdirSync(dir), []);
  });
});

test("an unreachable mirror is 'download-failed'", async () => {
  const { base, server } = await serve(new Map());
  await new Promise((resolve) => server.close(resolve)); // the port is now closed
  const dir = mkdtempSync(join(tmpdir(), "lenet5-download-"));
  try {
    await assertRejectsWith(
      downloadMnist({ to: dir, mirror: base }),
      "download-failed",
      `${base}/train-images-idx3-ubyte.gz`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an injected fetch is used instead of the global one", async () => {
  const set = tinySet();
  const requested: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    requested.push(url);
    const name = url.slice(url.lastIndexOf("/") + 1, -".gz".length) as MnistFileName;
    return new Response(gzipSync(set[name]));
  }) as typeof fetch;
  const dir = mkdtempSync(join(tmpdir(), "lenet5-download-"));
  try {
    await downloadMnist({
      to: dir,
      mirror: "https://mirror.invalid/x/",
      fetchImpl,
      expected: digestsOf(set),
    });
    assert.deepEqual(
      requested,
      MNIST_FILE_NAMES.map((name) => `https://mirror.invalid/x/${name}.gz`),
    );
    assert.equal(loadMnist({ split: "test", dir }).count, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
