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


def build_faithful(torch, seed, table, j=0.1):
    """A PyTorch twin of lenet5's `historical` for the online benchmark (60,000 trainable weights).

    C1 conv 1->6 5x5, f; S2 trainable subsampling (block sum x coefficient + bias per map), f;
    C3 conv 6->16 5x5 with Table I as a 0/1 mask on the kernel, f; S4 as S2, f; C5 conv 16->120
    5x5, f; F6 linear 120->84, f; the Euclidean RBF output against fixed +-1 codes [10, 84]; the
    loss of eq. 9, y_D + log(e^-j + sum_i e^-y_i); f(a) = 1.7159 tanh(2a/3). What differs from
    lenet5: the codes are random +-1 (the bitmaps' values do not change the cost), the masked C3
    computes the 36 missing connections as zeros, and the SDLM curvature h is held fixed (its
    values do not change the cost of a step either).
    """
    nn = torch.nn
    F = torch.nn.functional
    torch.manual_seed(seed)

    def squash(a):
        return 1.7159 * torch.tanh(a * (2.0 / 3.0))

    class Subsampling(nn.Module):
        def __init__(self, maps):
            super().__init__()
            self.coefficient = nn.Parameter(torch.empty(maps).uniform_(-0.6, 0.6))
            self.bias = nn.Parameter(torch.empty(maps).uniform_(-0.6, 0.6))

        def forward(self, x):
            block_sum = F.avg_pool2d(x, 2) * 4
            return block_sum * self.coefficient.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)

    class Faithful(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(1, 6, 5)
            self.s2 = Subsampling(6)
            self.c3 = nn.Conv2d(6, 16, 5)
            mask = torch.zeros(16, 6, 1, 1)
            for out_map, in_maps in enumerate(table):
                for in_map in in_maps:
                    mask[out_map, in_map] = 1
            self.register_buffer("mask", mask)
            self.s4 = Subsampling(16)
            self.c5 = nn.Conv2d(16, 120, 5)
            self.f6 = nn.Linear(120, 84)
            codes = torch.sign(torch.randn(10, 84))
            self.register_buffer("prototypes", codes)

        def forward(self, x):
            x = squash(self.c1(x))
            x = squash(self.s2(x))
            x = squash(F.conv2d(x, self.c3.weight * self.mask, self.c3.bias))
            x = squash(self.s4(x))
            x = squash(self.c5(x)).flatten(1)
            x = squash(self.f6(x))
            return ((x.unsqueeze(1) - self.prototypes.unsqueeze(0)) ** 2).sum(-1)  # [N, 10]

    model = Faithful()
    trainable = sum(p.numel() for p in model.parameters()) - 36 * 25  # the mask's zeros
    assert trainable == 60000, trainable
    rubbish = torch.tensor([-j])

    def loss_of(y, labels):
        scores = torch.cat([-y, rubbish.expand(y.shape[0], 1)], dim=1)
        return (y.gather(1, labels.view(-1, 1)).squeeze(1) + torch.logsumexp(scores, 1)).mean()

    return model, loss_of


class Bench:
    def __init__(self, torch, seed, train_batch, infer_batch, optimizer_name="adam", table=None):
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
        self.faithful = None
        self.table = table

    def online(self, threads, steps):
        """`steps` SDLM updates of the faithful twin, one example each: w -= eta/(mu + h) * g."""
        torch = self.torch
        torch.set_num_threads(threads)
        if self.faithful is None:
            if self.table is None:
                raise ValueError("the online benchmark needs --table (Table I as JSON)")
            model, loss_of = build_faithful(torch, 0, self.table)
            generator = torch.Generator().manual_seed(1)
            xs = torch.randn(256, 1, 32, 32, generator=generator) * 0.5 + 0.3
            ys = torch.randint(0, 10, (256,), generator=generator)
            rates = [torch.full_like(p, 5e-4) / (0.02 + 1.0) for p in model.parameters()]
            self.faithful = (model, loss_of, xs, ys, rates)
        model, loss_of, xs, ys, rates = self.faithful
        start = time.perf_counter()
        for step in range(steps):
            i = step % xs.shape[0]
            loss = loss_of(model(xs[i : i + 1]), ys[i : i + 1])
            model.zero_grad(set_to_none=False)
            loss.backward()
            with torch.no_grad():
                for p, rate in zip(model.parameters(), rates):
                    p.sub_(rate * p.grad)
            self.last_loss = loss.item()
        seconds = time.perf_counter() - start
        return {"images": steps, "seconds": seconds}

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
        elif op == "online":
            reply = {"op": op, "threads": threads, **bench.online(threads, int(command["steps"]))}
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
    parser.add_argument("--table", help="Table I as JSON, for the online benchmark of the faithful net")
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

    table = None if args.table is None else json.loads(args.table)
    bench = Bench(torch, args.seed, args.train_batch, args.infer_batch, args.optimizer, table)
    if args.serve:
        serve(bench, torch)
    else:
        standalone(bench, torch, args)


if __name__ == "__main__":
    main()
