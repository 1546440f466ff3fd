// Turns one notebook (nbformat 4, parsed JSON) into a TypeScript script a learner can download
// from the notebook's page and run in a project of their own (`npm install lenet5 tsx`, then
// `npx tsx NN-name.ts`), ESM or CommonJS alike:
//
//   - every import of every cell, merged per module, at the top (a cell copied on its own from
//     the page fails on names an earlier cell imported: here they are all in scope);
//   - the cells' code in order, inside `async function main()`: top-level `await` is an error
//     in CommonJS, the default of `npm init -y`, and the cells await;
//   - charts: `show()` outside a notebook writes SVG files (src/viz/notebook.ts).
//
// The cells share one scope, as in the notebook; a name declared in two cells (which tslab
// allows, one shadowing the other) is refused with the cells named, rather than renamed here.
// Pure functions only: scripts/notebooks-to-pages.mjs writes the files.
import ts from "typescript";
import { joinSource } from "./notebook-mdx.mjs";

/** The cells' code, parsed: `{ index, source, file }` per non-empty code cell. */
function codeCells(notebook) {
  return notebook.cells.flatMap((cell, index) => {
    const source = joinSource(cell.source);
    if (cell.cell_type !== "code" || source.trim() === "") return [];
    const file = ts.createSourceFile(`cell${index}.ts`, source, ts.ScriptTarget.ES2022, true);
    return [{ index, source, file }];
  });
}

/** Records one import declaration into `imports` (module → { namespaces, defaults, named }). */
function addImport(imports, declaration) {
  const from = declaration.moduleSpecifier.text;
  const entry = imports.get(from) ?? { sideEffect: false, namespaces: [], defaults: [], named: [] };
  imports.set(from, entry);
  const clause = declaration.importClause;
  if (clause === undefined) {
    entry.sideEffect = true;
    return;
  }
  const typeOnly = clause.isTypeOnly;
  if (clause.name) entry.defaults.push(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) entry.namespaces.push(bindings.name.text);
  for (const element of bindings && ts.isNamedImports(bindings) ? bindings.elements : []) {
    const text = element.propertyName
      ? `${element.propertyName.text} as ${element.name.text}`
      : element.name.text;
    entry.named.push({ text, type: typeOnly || element.isTypeOnly });
  }
}

/** The merged import statements, one module after another in first-use order. */
function importLines(imports) {
  return [...imports].flatMap(([from, entry]) => {
    const quoted = JSON.stringify(from);
    const lines = [
      ...[...new Set(entry.namespaces)].map((name) => `import * as ${name} from ${quoted};`),
      ...[...new Set(entry.defaults)].map((name) => `import ${name} from ${quoted};`),
    ];
    // A name imported as a value anywhere is a value import; as a type only, a type import.
    const named = new Map();
    for (const { text, type } of entry.named) named.set(text, (named.get(text) ?? true) && type);
    if (named.size > 0) {
      const names = [...named].map(([text, type]) => (type ? `type ${text}` : text));
      const line = `import { ${names.join(", ")} } from ${quoted};`;
      lines.push(
        line.length <= 100
          ? line
          : `import {\n${names.map((n) => `  ${n},\n`).join("")}} from ${quoted};`,
      );
    }
    if (lines.length === 0 && entry.sideEffect) lines.push(`import ${quoted};`);
    return lines;
  });
}

/** Names a statement declares at the top level of its cell. */
function declaredNames(statement) {
  const names = [];
  const collect = (name) => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements ?? []) if (element.name) collect(element.name);
  };
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) collect(declaration.name);
  } else if (statement.name && ts.isIdentifier(statement.name)) {
    names.push(statement.name.text); // functions, classes, interfaces, types, enums
  }
  return names;
}

/** Throws when a name is declared in more than one cell (one scope here, unlike tslab's). */
function checkDeclarations(cells, id) {
  const firstCell = new Map();
  for (const { index, file } of cells) {
    for (const statement of file.statements) {
      if (ts.isImportDeclaration(statement)) continue;
      for (const name of declaredNames(statement)) {
        if (firstCell.has(name) && firstCell.get(name) !== index) {
          throw new Error(
            `${id}: "${name}" is declared in cells ${firstCell.get(name)} and ${index}; the ` +
              "script runs every cell in one scope: give one of them another name",
          );
        }
        firstCell.set(name, index);
      }
    }
  }
}

/** A cell's code without its import declarations, cut out of the text as written. */
function withoutImports({ source, file }) {
  let code = "";
  let from = 0;
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    code += source.slice(from, statement.getStart(file));
    from = statement.getEnd();
  }
  return `${code}${source.slice(from)}`.replace(/^\s*\n/, "").trimEnd();
}

/** Offsets of the line starts that lie inside a template literal of `code` (not to indent). */
function templateLineStarts(code) {
  const starts = new Set();
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isTemplateLiteralToken(node)) {
      const text = code.slice(node.getStart(file), node.getEnd());
      for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
        starts.add(node.getStart(file) + at + 1);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return starts;
}

/** Indents every line by two spaces, except lines that begin inside a template literal. */
function indentCode(code) {
  const inTemplate = templateLineStarts(code);
  let offset = 0;
  return code
    .split("\n")
    .map((line) => {
      const start = offset;
      offset += line.length + 1;
      return line === "" || inTemplate.has(start) ? line : `  ${line}`;
    })
    .join("\n");
}

/**
 * The script of one notebook (see the file header).
 * @param notebook parsed .ipynb (nbformat 4)
 * @param page { id: "NN-name", title: the chapter's title }
 * @returns the TypeScript source
 */
export function notebookToScript(notebook, { id, title }) {
  const cells = codeCells(notebook);
  checkDeclarations(cells, id);
  const imports = new Map();
  for (const { file } of cells) {
    for (const statement of file.statements) {
      if (ts.isImportDeclaration(statement)) addImport(imports, statement);
    }
  }
  const body = cells
    .map((cell) => ({ cell, code: withoutImports(cell) }))
    .filter(({ code }) => code !== "")
    .map(({ cell, code }) => `  // ── cell ${cell.index} ──\n${indentCode(code)}`);
  return [
    `// ${title}: the notebook's code cells, in order, as one script.`,
    `// Generated from notebooks/${id}.ipynb by scripts/notebooks-to-pages.mjs.`,
    "//",
    "// Run it in a project of your own (ESM or CommonJS):",
    "//   npm install lenet5 tsx",
    `//   npx tsx ${id}.ts`,
    "// Charts are written as SVG files to lenet5-charts/ (show() outside a notebook). The cells",
    "// run inside an async main(), so that their `await` works in a CommonJS project too.",
    "",
    ...importLines(imports),
    "",
    "async function main(): Promise<void> {",
    body.join("\n\n"),
    "}",
    "",
    "// A failing cell rejects main(): Node prints the error and exits with code 1.",
    "main();",
    "",
  ].join("\n");
}
