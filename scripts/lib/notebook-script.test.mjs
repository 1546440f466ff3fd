// notebookToScript on a small notebook: imports merged at the top, cells in order inside an async
// main (so it runs as CommonJS, where top-level await is an error), template literals untouched.
// scripts/test-learner-project.mjs runs the real chapters' scripts in fresh projects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import vm from "node:vm";
import ts from "typescript";
import { notebookToScript } from "./notebook-script.mjs";

const code = (source) => ({ cell_type: "code", source, outputs: [], metadata: {} });
const markdown = (source) => ({ cell_type: "markdown", source, metadata: {} });
const notebook = (cells) => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

const fixture = notebook([
  markdown("# 3 · A fixture"),
  code(
    'import { join } from "node:path";\nimport * as os from "node:os";\n\nconst parts = ["a", "b"];',
  ),
  code(
    [
      'import { join, type ParsedPath, basename } from "node:path";',
      "const delay = await Promise.resolve(2);",
      "const text = `first line",
      "  second line, ${join(...parts)}",
      "third ${delay}`;",
      "console.log(text, typeof os.tmpdir, basename(join(...parts)));",
      "const parsed: ParsedPath | undefined = undefined;",
      "console.log(parsed);",
    ].join("\n"),
  ),
  code(""),
]);

test("imports of every cell are merged at the top; the cells run in order inside async main()", () => {
  const script = notebookToScript(fixture, { id: "03-fixture", title: "3 · A fixture" });
  const lines = script.split("\n");
  assert.ok(lines.includes('import * as os from "node:os";'));
  assert.ok(lines.includes('import { join, type ParsedPath, basename } from "node:path";'));
  assert.equal(script.match(/^import /gm).length, 2, "one import statement per module and kind");
  assert.match(script, /^async function main\(\): Promise<void> \{$/m);
  assert.match(script, /^ {2}\/\/ ── cell 1 ──\n {2}const parts = \["a", "b"\];$/m);
  assert.ok(script.indexOf("cell 1") < script.indexOf("cell 2"));
  assert.doesNotMatch(script, /cell 3/, "empty cells are left out");
  // Lines inside the template literal keep their text exactly.
  assert.ok(lines.includes("  second line, ${join(...parts)}"));
  assert.ok(lines.includes("third ${delay}`;"));
  assert.ok(lines.includes("//   npx tsx 03-fixture.ts"), "the header says how to run it");
});

test("the script compiles as CommonJS and runs: output as in the notebook", async () => {
  const script = notebookToScript(fixture, { id: "03-fixture", title: "3 · A fixture" });
  const compiled = ts.transpileModule(script, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  assert.deepEqual(compiled.diagnostics, []);
  const printed = [];
  const done = new Promise((resolve) => {
    const sandbox = {
      require: createRequire(import.meta.url),
      exports: {},
      console: {
        log: (...values) => {
          printed.push(values.map(String).join(" "));
          if (printed.length === 2) resolve();
        },
      },
      Promise,
    };
    vm.runInNewContext(compiled.outputText, sandbox);
  });
  await done;
  assert.deepEqual(printed, ["first line\n  second line, a/b\nthird 2 function b", "undefined"]);
});

test("a name declared in two cells is refused, naming both cells", () => {
  const twice = notebook([code("const x = 1;"), code("let y = 2;"), code("const x = 3;")]);
  assert.throws(() => notebookToScript(twice, { id: "05-twice", title: "twice" }), {
    message: /05-twice: "x" is declared in cells 0 and 2/,
  });
});
