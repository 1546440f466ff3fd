// `lenet5 train`'s ablation flags: parsed strictly into trainModel's options, historical's only,
// named in the usage text; one short run end to end records them in the checkpoint.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./args";
import { parseTrainArgs } from "./train";
import { commandUsage } from "./usage";

const root = mkdtempSync(join(tmpdir(), "lenet5-cli-ablation-"));
after(() => rmSync(root, { recursive: true, force: true }));

const historical = (...args: string[]) => parseTrainArgs(["--model", "historical", ...args]);

function refused(args: string[], says: RegExp): void {
  assert.throws(
    () => parseTrainArgs(args),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.match(e.message, says);
      return true;
    },
  );
}

test("each flag parses into its option; none given is the paper's net", () => {
  assert.deepEqual(historical().ablation, {});
  assert.deepEqual(
    historical(
      "--c3",
      "full",
      "--subsampling",
      "max",
      "--init",
      "2.4/sqrtF",
      "--j",
      "0.5",
      "--curvature",
      "eq8",
    ).ablation,
    {
      c3: "full",
      subsampling: "max",
      initScale: { numerator: 2.4, divisor: "sqrtFanIn" },
      j: 0.5,
      curvature: "eq8",
    },
  );
  assert.deepEqual(historical("--init", "1/F").ablation.initScale, {
    numerator: 1,
    divisor: "fanIn",
  });
});

test("strict values, ranges, and historical's flags on historical only", () => {
  refused(["--model", "historical", "--c3", "Full"], /--c3 must be one of table-i, full/);
  refused(["--model", "historical", "--subsampling", "mean"], /--subsampling must be one of/);
  for (const init of ["2.4", "2.4/f", "0/F", "2.4/sqrt(F)", "1e1/F", "2000/F", " 1/F"]) {
    refused(["--model", "historical", "--init", init], /--init must be K\/F/);
  }
  for (const j of ["0", "101", "0x1", "1e"]) {
    refused(["--model", "historical", "--j", j], /--j must be a number above 0 and at most 100/);
  }
  refused(["--model", "historical", "--curvature", "eq10"], /--curvature must be one of eq8, eq9/);
  refused(
    ["--model", "historical", "--optimizer", "adam", "--curvature", "eq8"],
    /--curvature is SDLM's/,
  );
  refused(["--model", "modern", "--c3", "full"], /--c3 is an option of --model historical only/);
  refused(["--model", "seed-historical", "--j", "1"], /--j is an option of --model historical/);
});

test("the usage text names every ablation flag", () => {
  const usage = commandUsage("train");
  for (const flag of ["--c3", "--subsampling", "--init", "--j", "--curvature"]) {
    assert.ok(usage.includes(flag), `${flag} missing from the usage`);
  }
});

test("lenet5 train with ablation flags records them in the checkpoint", () => {
  const out = join(root, "run");
  const cli = join(__dirname, "main.ts");
  const stderr = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      cli,
      "train",
      "--model",
      "historical",
      "--epochs",
      "1",
      "--limit",
      "16",
      "--batch",
      "8",
      "--c3",
      "full",
      "--init",
      "2.4/sqrtF",
      "--j",
      "0.2",
      "--curvature",
      "eq8",
      "--out",
      out,
      "--json",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
  );
  assert.equal(typeof stderr, "string");
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.deepEqual(manifest.recipe.modelOptions, {
    c3: "full",
    initScale: { divisor: "sqrtFanIn" }, // the paper's numerator 2.4 is left out
  });
  assert.equal(manifest.recipe.j, 0.2);
  assert.equal(manifest.recipe.outputCurvature, 2);
  assert.equal(manifest.recipe.engine, "tfjs");
});
