#!/usr/bin/env python3
"""PyTorch twin of lenet5's benchmark: the seed tutorial's ModernLeNet5, timed on the CPU.

The same network as lenet5's `modern` model (61,706 parameters):
  input [N, 1, 28, 28] -> conv 6 5x5 pad 2 -> relu -> maxpool 2 -> conv 16 5x5 -> relu
  -> maxpool 2 -> conv 120 5x5 -> relu -> flatten -> linear 120->84 -> relu -> linear 84->10
A training step is forward + cross-entropy + backward + optimiser update (Adam, lr 1e-3, as
lenet5's `trainModel` trains `modern` by default; `--optimizer sgd` for plain SGD), with the loss
read back (`loss.item()`); inference is one forward pass of a batch under `torch.no_grad()`, read back.
Inputs are synthetic (seeded normal noise and random labels): speed does not depend on them.

Two ways to run it, both with Debian's python3 (`/usr/bin/python3`, package python3-torch):
  standalone:  /usr/bin/python3 scripts/bench_torch.py [--threads 1,2] [--windows 7]
               prints one JSON object (medians and min-max per thread count) on stdout.
               It re-executes itself once with the settings that steady PyTorch on these VMs
               (GLIBC_TUNABLES malloc thresholds, OMP_WAIT_POLICY=PASSIVE) unless they are set.
  --serve:     lenet5's `runBenchmark` (src/bench/bench.ts) drives it window by window, so the
               PyTorch windows interleave with the tfjs ones. Protocol: one JSON object per line
               on stdin ({"op": "warmup"|"train"|"infer"|"quit", "threads", "steps"|"batches"}),
               one JSON reply per line on stdout; a first line {"ready": true, ...} on start.
Progress goes to stderr.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

# Settings that steady PyTorch's timings on these machines (see /work/shared/FACTS.md): large
# fresh allocations are slow, so keep them out of mmap and never give memory back; idle OpenMP
# threads sleep instead of spinning against the other process.
STEADY_ENV = {
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824",
    "OMP_WAIT_POLICY": "PASSIVE",
}


def log(message):
    print(f"[bench_torch] {message}", file=sys.stderr, flush=True)


def build(torch, seed, optimizer_name="adam"):
    """The modern LeNet-5, its SGD optimiser and synthetic inputs (train and inference)."""
    nn = torch.nn
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),  # [N, 6, 28, 28]
        nn.ReLU(),
        nn.MaxPool2d(2),  # [N, 6, 14, 14]
        nn.Conv2d(6, 16, 5),  # [N, 16, 10, 10]
        nn.ReLU(),
        nn.MaxPool2d(2),  # [N, 16, 5, 5]
        nn.Conv2d(16, 120, 5),  # [N, 120, 1, 1]
        nn.ReLU(),
        nn.Flatten(),  # [N, 120]
        nn.Linear(120, 84),  # [N, 84]
        nn.ReLU(),
        nn.Linear(84, 10),  # [N, 10] logits
    )
    params = sum(p.numel() for p in model.parameters())
    assert params == 61706, params
    if optimizer_name == "adam":
        optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        optimiser = torch.optim.SGD(model.parameters(), lr=1e-3)
    return model, optimiser


class Bench:
    def __init__(self, torch, seed, train_batch, infer_batch, optimizer_name="adam"):
        self.torch = torch
        self.optimizer_name = optimizer_name
        self.model, self.optimiser = build(torch, seed, optimizer_name)
        generator = torch.Generator().manual_seed(seed)
        self.train_x = torch.randn(train_batch, 1, 28, 28, generator=generator)
        self.train_y = torch.randint(0, 10, (train_batch,), generator=generator)
        self.infer_x = torch.randn(infer_batch, 1, 28, 28, generator=generator)
        self.train_batch = train_batch
        self.infer_batch = infer_batch
        self.last_loss = None

    def train(self, threads, steps):
        torch = self.torch
        torch.set_num_threads(threads)
        self.model.train()
        start = time.perf_counter()
        for _ in range(steps):
            self.optimiser.zero_grad()
            loss = torch.nn.functional.cross_entropy(self.model(self.train_x), self.train_y)
            loss.backward()
            self.optimiser.step()
            self.last_loss = loss.item()  # read back, as the tfjs side does with dataSync
        seconds = time.perf_counter() - start
        return {"images": steps * self.train_batch, "seconds": seconds}

    def infer(self, threads, batches):
        torch = self.torch
        torch.set_num_threads(threads)
        self.model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            for _ in range(batches):
                out = self.model(self.infer_x)
                out.numpy().sum()  # touch every output
        seconds = time.perf_counter() - start
        return {"images": batches * self.infer_batch, "seconds": seconds}


def versions(torch, bench):
    return {
        "optimizer": bench.optimizer_name,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "env": {key: os.environ.get(key) for key in STEADY_ENV},
    }


def serve(bench, torch):
    print(json.dumps({"ready": True, **versions(torch, bench)}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        op = command.get("op")
        if op == "quit":
            break
        threads = int(command.get("threads", 1))
        if op == "warmup":
            bench.train(threads, int(command.get("steps", 5)))
            bench.infer(threads, 1)
            reply = {"op": op, "threads": threads}
        elif op == "train":
            reply = {"op": op, "threads": threads, **bench.train(threads, int(command["steps"]))}
        elif op == "infer":
            reply = {"op": op, "threads": threads, **bench.infer(threads, int(command["batches"]))}
        else:
            reply = {"error": f"unknown op {op!r}"}
        print(json.dumps(reply), flush=True)


def summary(rates):
    return {"median": statistics.median(rates), "min": min(rates), "max": max(rates), "windows": rates}


def standalone(bench, torch, args):
    threads_list = [int(t) for t in args.threads.split(",")]
    for threads in threads_list:
        bench.train(threads, args.warmup)
        bench.infer(threads, 1)
    train = {t: [] for t in threads_list}
    infer = {t: [] for t in threads_list}
    for window in range(args.windows):
        for threads in threads_list:
            t = bench.train(threads, args.train_steps)
            i = bench.infer(threads, args.infer_batches)
            train[threads].append(t["images"] / t["seconds"])
            infer[threads].append(i["images"] / i["seconds"])
            log(
                f"window {window + 1}/{args.windows} threads {threads}: "
                f"train {train[threads][-1]:.0f} img/s, infer {infer[threads][-1]:.0f} img/s"
            )
    by_threads = {
        str(t): {"train": summary(train[t]), "infer": summary(infer[t])} for t in threads_list
    }
    # The better thread count for each measurement, by median.
    best_train = max(threads_list, key=lambda t: statistics.median(train[t]))
    best_infer = max(threads_list, key=lambda t: statistics.median(infer[t]))
    result = {
        **versions(torch, bench),
        "threads": {"train": best_train, "infer": best_infer},
        "trainImagesPerSec": statistics.median(train[best_train]),
        "trainMin": min(train[best_train]),
        "trainMax": max(train[best_train]),
        "inferImagesPerSec": statistics.median(infer[best_infer]),
        "inferMin": min(infer[best_infer]),
        "inferMax": max(infer[best_infer]),
        "byThreads": by_threads,
        "settings": {
            "windows": args.windows,
            "trainSteps": args.train_steps,
            "inferBatches": args.infer_batches,
            "trainBatch": args.train_batch,
            "inferBatch": args.infer_batch,
        },
    }
    print(json.dumps(result, indent=2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="take windows one by one on stdin")
    parser.add_argument("--threads", default="1,2", help="thread counts to compare (standalone)")
    parser.add_argument("--windows", type=int, default=7)
    parser.add_argument("--train-steps", type=int, default=100)
    parser.add_argument("--infer-batches", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--train-batch", type=int, default=64)
    parser.add_argument("--infer-batch", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    parser.add_argument("--no-reexec", action="store_true", help="keep the environment as it is")
    args = parser.parse_args()

    if not args.serve and not args.no_reexec and any(os.environ.get(k) != v for k, v in STEADY_ENV.items()):
        # glibc reads its tunables at start-up: they must be in the environment before Python runs.
        os.execve(sys.executable, [sys.executable, *sys.argv, "--no-reexec"], {**os.environ, **STEADY_ENV})

    try:
        import torch
    except ImportError as error:
        message = f"PyTorch is not importable by {sys.executable}: {error}"
        if args.serve:
            print(json.dumps({"ready": False, "error": message}), flush=True)
        log(message)
        sys.exit(3)

    bench = Bench(torch, args.seed, args.train_batch, args.infer_batch, args.optimizer)
    if args.serve:
        serve(bench, torch)
    else:
        standalone(bench, torch, args)


if __name__ == "__main__":
    main()
