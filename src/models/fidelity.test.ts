import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../backend";
import { TABLE_I } from "../paper";
import { SHIPPED_WEIGHTS_DIR } from "../train/pretrained";
import { createHistorical } from "./historical";
import {
  type FidelityRow,
  type ShippedRun,
  fidelityLedger,
  measureC3Connections,
  paperSdlmRates,
} from "./fidelity";

before(() => initBackend());

/** Every shipped run of the historical model, as scripts/fidelity-ledger.mjs reads them. */
function shippedRuns(): ShippedRun[] {
  return readdirSync(SHIPPED_WEIGHTS_DIR)
    .map((name) => join(SHIPPED_WEIGHTS_DIR, name, "results.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")))
    .filter((results) => results.recipe.modelName === "historical")
    .map((results) => ({
      ...results.recipe,
      name: results.variant,
      distort: results.recipe.distort,
      testAccuracy: results.testAccuracy,
    }));
}

// A run that follows the paper to the letter: every optimiser row should match.
const paperRun: ShippedRun = {
  name: "paper",
  distort: false,
  optimizer: "sdlm",
  batchSize: 1,
  mu: 0.02,
  hessianSamples: 500,
  learningRates: paperSdlmRates(20),
  epochs: 20,
  testAccuracy: 1 - 0.0095,
};

const byItem = (rows: FidelityRow[], item: string, group?: string) => {
  const row = rows.find((r) => r.item === item && (group === undefined || r.group === group));
  assert.ok(row, `no ledger row "${item}"`);
  return row;
};

test("doc example: the C3 row", () => {
  const runs = shippedRuns();
  const rows = fidelityLedger({ runs });
  assert.equal(rows.find((r) => r.item === "C3 trainable parameters")?.lenet5, "1,516");
});

test("paperSdlmRates: the schedule of §III-B, then 1e-5", () => {
  assert.deepEqual(paperSdlmRates(4), [0.0005, 0.0005, 0.0002, 0.0002]);
  // 2 + 3 + 3 + 4 = 12 scheduled passes, then the final rate.
  const rates = paperSdlmRates(20);
  assert.equal(rates.length, 20);
  assert.deepEqual(rates.slice(5, 13), [1e-4, 1e-4, 1e-4, 5e-5, 5e-5, 5e-5, 5e-5, 1e-5]);
  assert.equal(rates[19], 1e-5);
});

test("Table I measured on C3 by probing one S2 map at a time", () => {
  const model = createHistorical({ seed: 3 });
  assert.deepEqual(
    measureC3Connections(model),
    TABLE_I.map((row) => [...row]),
  );
  model.dispose();
});

test("every structural row matches the paper, with the published numbers", () => {
  const rows = fidelityLedger({ runs: [paperRun] });
  const expected: [string, string][] = [
    ["C1 trainable parameters", "156"],
    ["C1 connections", "122,304"],
    ["S2 trainable parameters", "12"],
    ["S2 connections", "5,880"],
    ["C3 trainable parameters", "1,516"],
    ["C3 connections", "151,600"],
    ["S4 trainable parameters", "32"],
    ["S4 connections", "2,000"],
    ["C5 trainable parameters", "48,120"],
    ["C5 connections", "48,120"],
    ["F6 trainable parameters", "10,164"],
    ["F6 connections", "10,164"],
    ["OUTPUT trainable parameters", "0"],
    ["OUTPUT connections", "840"],
    ["Total trainable parameters", "60,000"],
    ["Total connections", "340,908"],
  ];
  for (const [item, value] of expected) {
    const row = byItem(rows, item);
    assert.equal(row.paper, value, item);
    assert.equal(row.lenet5, value, item);
    assert.equal(row.status, "match", item);
  }
  for (let j = 0; j < 16; j++) {
    const row = byItem(rows, `C3 map ${j} reads S2 maps`);
    assert.equal(row.lenet5, TABLE_I[j].join(", "));
    assert.equal(row.status, "match");
  }
  assert.equal(byItem(rows, "S2 → C3 map connections").lenet5, "60");
  assert.equal(byItem(rows, "Amplitude A").lenet5, "1.7159");
  assert.equal(byItem(rows, "Slope S").lenet5, "0.6667");
  assert.equal(byItem(rows, "Layers squashed").lenet5, "C1, S2, C3, S4, C5, F6");
  assert.equal(byItem(rows, "Background (white) level").lenet5, "-0.100");
  assert.equal(byItem(rows, "Foreground (black) level").lenet5, "1.175");
  // 28×28 centred in 32×32: a 2-pixel border, so ink in rows 2…29.
  assert.equal(byItem(rows, "Input field").lenet5, "32×32 field, digit in rows 2–29");
  // C1: 5·5·1·6 = 150 weights, bound 2.4/25 = 0.096.
  assert.match(byItem(rows, "C1 weights (F_i = 25)").paper, /±0\.0960/);
  assert.match(byItem(rows, "C1 weights (F_i = 25)").lenet5, /^150 values/);
  assert.equal(
    byItem(rows, "RBF prototypes").lenet5,
    "1 weight tensor, 840 values, all ±1, 0 trainable",
  );
  // With the paper's recipe every optimiser row matches; the 0.95% error too.
  for (const row of rows.filter((r) => r.group.startsWith("Optimiser"))) {
    assert.equal(row.status, "match", row.item);
  }
  assert.equal(byItem(rows, "LeNet-5").status, "match");
  const notMatching = rows.filter((r) => r.status !== "match").map((r) => r.item);
  assert.deepEqual(notMatching, [
    "Biases",
    "Grey levels between",
    "Prototype drawings",
    "Loss constant j",
  ]);
});

test("the shipped runs: the departures are the documented ones, each with a note", () => {
  const runs = shippedRuns();
  // The runs trained the paper's way (online, μ = 0.02) are the ones the ledger describes.
  const plain = runs.find((run) => !run.distort && run.batchSize === 1);
  const distorted = runs.find((run) => run.distort && run.batchSize === 1);
  assert.ok(
    plain && distorted,
    "weights/ holds a paper's-way historical run with and without distortions",
  );
  const rows = fidelityLedger({ runs });
  const departures = rows.filter((r) => r.status === "departure").map((r) => r.item);
  // historical starts from ±2.4/√F_i with the paper's η scaled, and re-estimates h_kk as its
  // reading says; a loss other than eq. 9 is a departure, and an error row is one unless it
  // equals the paper's to 0.005%.
  const off = (run: ShippedRun, paper: number) => Math.abs(1 - run.testAccuracy - paper) > 0.00005;
  const paperHessian = plain.hessianSamples === 500 && plain.hessianEvery === "each pass";
  assert.deepEqual(departures, [
    "Prototype drawings",
    "Initialisation of the trained run",
    ...(plain.loss === undefined || plain.loss === "eq. 9" ? [] : ["Loss trained on"]),
    ...(paperHessian ? [] : ["Hessian re-estimated on"]),
    "Global rate η per pass",
    ...(off(plain, 0.0095) ? ["LeNet-5"] : []),
    ...(off(distorted, 0.008) ? ["LeNet-5, distorted training digits"] : []),
  ]);
  assert.match(byItem(rows, "Global rate η per pass").note ?? "", /the paper's schedule × 0\.2/i);
  assert.match(byItem(rows, "Method").note ?? "", new RegExp(`\`${plain.reading}\``));
  assert.equal(byItem(rows, "μ").lenet5, "0.02");
  assert.equal(byItem(rows, "μ").status, "match");
  assert.equal(byItem(rows, "Curvature at the output of h_kk").status, "unstated");
  for (const row of rows.filter((r) => r.status !== "match")) {
    assert.ok(row.note && row.note.length > 0, `${row.item} has no note`);
  }
  assert.equal(byItem(rows, "μ").paper, "0.02");
  assert.equal(byItem(rows, "Examples per update").lenet5, String(plain.batchSize));
  assert.equal(byItem(rows, "LeNet-5").paper, "0.95%");
  assert.equal(byItem(rows, "LeNet-5").lenet5, `${((1 - plain.testAccuracy) * 100).toFixed(2)}%`);
  assert.match(byItem(rows, "LeNet-5").note ?? "", new RegExp(`\`${plain.name}\``));
  assert.equal(byItem(rows, "LeNet-5, distorted training digits").paper, "0.80%");
  assert.equal(
    byItem(rows, "LeNet-5, distorted training digits").lenet5,
    `${((1 - distorted.testAccuracy) * 100).toFixed(2)}%`,
  );
  assert.equal(byItem(rows, "Loss").status, "match");
});

test("the loss a run was trained on: a row only when its recipe names it, a departure unless eq. 9", () => {
  const loss = (run: ShippedRun) =>
    fidelityLedger({ runs: [run] }).find((r) => r.item === "Loss trained on");
  assert.equal(loss(paperRun), undefined);
  assert.equal(loss({ ...paperRun, loss: "eq. 9" })?.status, "match");
  const halved = loss({ ...paperRun, loss: "½·y_D (EBLearn's energy)" });
  assert.equal(halved?.status, "departure");
  assert.equal(halved?.lenet5, "½·y_D (EBLearn's energy)");
  assert.ok((halved?.note ?? "").length > 0);
});

test("η: a scaled paper's schedule is a departure that names its factor; the paper's own is none", () => {
  const rate = (run: ShippedRun) =>
    fidelityLedger({ runs: [run] }).find((r) => r.item === "Global rate η per pass");
  assert.equal(rate(paperRun)?.status, "match");
  assert.equal(rate(paperRun)?.note, undefined);
  const scaled = rate({ ...paperRun, learningRates: paperRun.learningRates.map((r) => r * 0.3) });
  assert.equal(scaled?.status, "departure");
  assert.match(scaled?.note ?? "", /× 0\.3, starting at 1\.5e-4 /);
  const constant = rate({ ...paperRun, learningRates: paperRun.learningRates.map(() => 1e-4) });
  assert.equal(constant?.status, "departure");
  assert.equal(constant?.note, undefined);
});

test("without any shipped run the ledger refuses rather than leaving rows out", () => {
  assert.throws(() => fidelityLedger({ runs: [] }), /no shipped run/);
});
