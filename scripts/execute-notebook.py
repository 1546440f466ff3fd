"""Executes one notebook headless with nbclient and reports, as one JSON line on stdout, whether it
passed and, if not, which cell failed and why. Called by scripts/test-notebooks.mjs with the Python
that scripts/setup-jupyter.sh chose (JUPYTER_PATH must point at the project's kernel folder).

Why not `jupyter nbconvert --execute`: tslab sends no `error` output, only an execute_reply with
status "error" and the message on the cell's stderr stream, so nbconvert's report names no cell.
Here the client records the index of the cell it is running, and the error text is read from that
cell's stderr (or `error`) outputs.

Usage: python3 execute-notebook.py NOTEBOOK OUTPUT --timeout SECONDS [--kernel tslab]
The executed copy is written to OUTPUT whether or not a cell failed. Exit 0 passed, 1 failed.
"""

import argparse
import json
import os
import signal
import sys
import time

import nbformat
from nbclient import NotebookClient


class TrackingClient(NotebookClient):
    """A NotebookClient that remembers which cell it is executing."""

    current_index = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current_index = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


def error_text(cell, exception):
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", []))
                         or f"{output.get('ename')}: {output.get('evalue')}")
    text = "".join(parts).strip()
    return text or f"{type(exception).__name__}: {exception}".strip()


def coalesce_streams(notebook):
    """Merges consecutive stdout (or stderr) outputs: tslab sends one per console.log call."""
    for cell in notebook.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (previous is not None and output.get("output_type") == "stream"
                    and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
                previous["text"] += output.get("text", "")
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--timeout", type=float, required=True, help="seconds for the whole notebook")
    parser.add_argument("--kernel", default="tslab")
    args = parser.parse_args()

    # A SIGTERM from the caller unwinds through nbclient's context manager, which stops the kernel.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    started = time.monotonic()
    deadline = started + args.timeout
    notebook = nbformat.read(args.notebook, as_version=4)
    client = TrackingClient(
        notebook,
        kernel_name=args.kernel,
        timeout=int(args.timeout),
        # One deadline for the whole notebook: each cell gets what is left of it.
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    result = {"ok": True}
    try:
        client.execute()
    except BaseException as exception:  # noqa: BLE001 - every failure is reported the same way
        index = client.current_index
        cell = notebook.cells[index] if index is not None else {}
        source = cell.get("source", "") if cell else ""
        timed_out = time.monotonic() >= deadline - 1
        result = {
            "ok": False,
            "cell": index,
            "firstLine": next((line for line in source.splitlines() if line.strip()), ""),
            "error": (f"timed out after {args.timeout:g} s for the whole notebook\n" if timed_out else "")
            + (error_text(cell, exception) if cell else f"{type(exception).__name__}: {exception}"),
        }
    finally:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        coalesce_streams(notebook)
        nbformat.write(notebook, args.output)
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
