/** `lenet5 summary`: the per-layer table of a model (shapes, parameters, connections). */
import { oneOf, parseOptions } from "./args";
import { initBackend } from "../backend";
import { MODEL_NAMES, createModel } from "../models/registry";
import { formatSummary, summarizeModel } from "../models/summary";

/** Runs `lenet5 summary`; returns the exit code. */
export async function summaryCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    model: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const modelName = oneOf("--model", values.model, MODEL_NAMES);
  const backend = await initBackend();
  const model = createModel(modelName, { seed: 0 });
  const summary = summarizeModel(modelName, model, backend);
  model.dispose();
  process.stdout.write(
    values.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`,
  );
  return 0;
}
