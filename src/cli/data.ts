/** `lenet5 data verify` and `lenet5 data download`: checking and (only on request) fetching MNIST. */
import { parseOptions, UsageError } from "./args";
import { downloadMnist, DEFAULT_MNIST_MIRROR, mirrorBase } from "../data/download";
import { IdxError } from "../data/idx";
import { formatVerifyReport, verifyMnist } from "../data/mnist";

/** Runs `lenet5 data verify|download`; returns the exit code. */
export async function dataCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case "verify":
      return verify(rest);
    case "download":
      return download(rest);
    default:
      throw new UsageError(
        sub === undefined
          ? "data needs a subcommand: verify or download"
          : `unknown data subcommand "${sub}"`,
      );
  }
}

function verify(args: string[]): number {
  const { values } = parseOptions(args, {
    data: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const report = verifyMnist({ dir: values.data });
  if (values.json) {
    const errors = report.errors.map((e) => ({ file: e.file, fault: e.fault, message: e.message }));
    process.stdout.write(`${JSON.stringify({ ...report, errors })}\n`);
  } else {
    // The whole report, failures included: the files that passed are worth seeing too.
    process.stdout.write(`${formatVerifyReport(report)}\n`);
  }
  // One line per bad file, naming it and the fault.
  for (const error of report.errors) process.stderr.write(`lenet5: ${error.message}\n`);
  return report.ok ? 0 : 1;
}

async function download(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    to: { type: "string" },
    mirror: { type: "string", default: DEFAULT_MNIST_MIRROR },
  });
  if (!values.to) throw new UsageError("data download needs --to DIR");
  try {
    mirrorBase(values.mirror ?? DEFAULT_MNIST_MIRROR);
  } catch (error) {
    if (error instanceof IdxError) throw new UsageError(`--mirror ${error.message}`);
    throw error;
  }
  const isTerminal = process.stderr.isTTY;
  const files = await downloadMnist({
    to: values.to,
    mirror: values.mirror,
    onProgress: (p) => {
      if (!isTerminal) return;
      const total = p.totalBytes ? ` / ${(p.totalBytes / 1e6).toFixed(1)} MB` : "";
      process.stderr.write(`\r${p.name}: ${(p.receivedBytes / 1e6).toFixed(1)} MB${total}   `);
    },
  });
  if (isTerminal) process.stderr.write("\n");
  for (const f of files) {
    const check = f.checksumVerified ? "SHA-256 verified" : "SHA-256 not checked";
    process.stdout.write(`${f.path}  ${f.bytes.toLocaleString("en-US")} bytes  ${check}\n`);
  }
  return 0;
}
