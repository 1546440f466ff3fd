"""Kernel → Interrupt in a real tslab kernel stops lenet5's long calls. Called by
scripts/test-jupyter.mjs with the Python scripts/setup-jupyter.sh chose, JUPYTER_PATH pointing at
the project's kernel and node_modules/.bin on PATH.

For each long call a chapter runs (training, evaluation, a benchmark, a Hessian estimate): start
it in a cell that prints progress, wait for the first progress line, interrupt the kernel the way
Jupyter's menu does (KernelManager.interrupt_kernel: SIGINT to the kernel), then check that
  - the cell's reply comes back (the kernel is free for the next cell),
  - no progress arrives later than one second after the interrupt, and the kernel process uses
    almost no CPU from then on (the work stopped, not just its printing),
  - the next cell runs, and sees the model the interrupted cell trained.

Usage: python3 test-kernel-interrupt.py NOTEBOOKS_DIR [--timeout SECONDS]
Prints one line per check and a JSON summary last; exit 0 when all passed.
"""

import argparse
import json
import os
import queue
import sys
import time

from jupyter_client import KernelManager

SETUP = """
import { createModel, estimateDiagonalHessian, evaluateModel, initBackend, loadModelData, trainModel } from "lenet5";
import { runBenchmark } from "lenet5/bench";
await initBackend();
const model = createModel("historical", { seed: 1 });
const before = model.getWeights()[0].dataSync().slice();
const test = loadModelData("historical", "test");
console.log("ready");
"""

# Each long cell prints "progress …" while it works. (`model: model`, not `{ model }`: tslab
# compiles shorthand for an earlier cell's name into a ReferenceError.)
LONG_CELLS = {
    "trainModel": """
await trainModel({
  model: model, modelName: "historical", epochs: 1, limit: 30000, evaluate: false,
  onBatch: (p) => { if (p.batch % 10 === 0) console.log(`progress: step ${p.batch}`); },
});
console.log("finished");
""",
    "evaluateModel": """
for (let round = 1; round <= 40; round++) {
  await evaluateModel(model, "historical", test, { batchSize: 500 });
  console.log(`progress: evaluation ${round}`);
}
console.log("finished");
""",
    "runBenchmark": """
await runBenchmark({
  models: ["historical"], torch: false, windows: 200, trainSteps: 10,
  log: (line) => console.log(`progress: ${line}`),
});
console.log("finished");
""",
    # Synchronous: tslab's own SIGINT handling (vm's breakOnSigint) stops it mid-call.
    "estimateDiagonalHessian": """
console.log("progress: estimating");
const indices = Array.from({ length: 10000 }, (_, i) => i);
const h = estimateDiagonalHessian(model, "rbf", test.images, test.count, { indices });
console.log("finished");
""",
}

NEXT_CELL = """
const after = model.getWeights()[0].dataSync();
console.log(`next cell ran; weights changed by training: ${after.some((w, i) => w !== before[i])}`);
"""


class Kernel:
    """A tslab kernel and its client; every iopub stream line is kept with its arrival time."""

    def __init__(self, cwd):
        self.manager = KernelManager(kernel_name="tslab")
        self.manager.start_kernel(cwd=cwd)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)
        self.lines = []  # (time, text)

    def pid(self):
        provisioner = getattr(self.manager, "provisioner", None)
        process = getattr(provisioner, "process", None) or getattr(self.manager, "kernel", None)
        return process.pid

    def cpu_seconds(self):
        """User + system CPU time of the kernel process, all its threads."""
        with open(f"/proc/{self.pid()}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def pump(self, seconds):
        """Reads iopub for `seconds`, keeping stream text."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            try:
                message = self.client.get_iopub_msg(timeout=min(left, 0.1))
            except queue.Empty:
                continue
            if message["msg_type"] == "stream":
                for line in message["content"]["text"].splitlines():
                    self.lines.append((time.monotonic(), line))

    def reply(self, msg_id, timeout):
        """The execute_reply of `msg_id` (reading iopub meanwhile), or None after `timeout`."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.05)
            try:
                message = self.client.get_shell_msg(timeout=0.05)
            except queue.Empty:
                continue
            if message["parent_header"].get("msg_id") == msg_id:
                return message
        return None

    def run(self, code, timeout):
        """Runs a cell to its end; returns (status, the lines it printed)."""
        start = len(self.lines)
        reply = self.reply(self.client.execute(code), timeout)
        self.pump(0.3)
        return (reply["content"]["status"] if reply else "timeout"), [t for _, t in self.lines[start:]]

    def wait_for(self, prefix, since, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(text.startswith(prefix) for t, text in self.lines if t >= since):
                return True
            self.pump(0.1)
        return False

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def check(results, ok, what):
    results.append({"ok": bool(ok), "check": what})
    print(f"{'ok  ' if ok else 'FAIL'}  {what}", flush=True)


def interrupt_case(kernel, name, code, results):
    since = time.monotonic()
    msg_id = kernel.client.execute(code)
    if not kernel.wait_for("progress", since, 60):
        check(results, False, f"{name}: no progress within 60 s")
        return
    kernel.pump(1.0)  # let it run a while
    interrupted = time.monotonic()
    kernel.manager.interrupt_kernel()
    reply = kernel.reply(msg_id, 5)
    replied = time.monotonic() - interrupted
    check(results, reply is not None and replied < 1, f"{name}: the cell returned {replied:.2f} s after the interrupt")
    kernel.pump(max(0.0, interrupted + 1 - time.monotonic()))
    cpu_start, window_start = kernel.cpu_seconds(), time.monotonic()
    kernel.pump(2.0)
    busy = (kernel.cpu_seconds() - cpu_start) / (time.monotonic() - window_start)
    late = [text for t, text in kernel.lines if t > interrupted + 1 and text.startswith("progress")]
    finished = any(text == "finished" for t, text in kernel.lines if t > since)
    check(results, not late and not finished, f"{name}: no progress later than 1 s after it ({len(late)} lines)")
    check(results, busy < 0.25, f"{name}: the kernel is idle from 1 s after it (CPU {100 * busy:.0f}%)")
    time.sleep(0.3)  # tslab drops requests for ~200 ms after a failed cell
    status, printed = kernel.run(NEXT_CELL, 30)
    ran = status == "ok" and any(text.startswith("next cell ran") for text in printed)
    check(results, ran, f"{name}: the next cell runs ({'; '.join(printed) or status})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebooks")
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args()
    started = time.monotonic()
    results = []
    kernel = Kernel(args.notebooks)
    try:
        status, printed = kernel.run(SETUP, 120)
        check(results, status == "ok" and "ready" in printed, f"setup cell: {status}")
        if status == "ok":
            for name, code in LONG_CELLS.items():
                if time.monotonic() - started > args.timeout:
                    check(results, False, f"out of time before {name}")
                    break
                interrupt_case(kernel, name, code, results)
            status, printed = kernel.run(NEXT_CELL, 30)
            trained = status == "ok" and any(text.endswith("changed by training: true") for text in printed)
            check(results, trained, "the model keeps what the interrupted training did")
    finally:
        kernel.stop()
    ok = all(result["ok"] for result in results)
    print(json.dumps({"ok": ok, "seconds": round(time.monotonic() - started, 1), "results": results}), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
