// Counts the names an entry point of the built package exports: node scripts/count-exports.mjs [ENTRY...]
// (ENTRY like "index" or "transport/index"; default: every entry point in package.json). Values are what the
// module's JavaScript exports at run time; types are the names its .d.ts adds that have no run-time value.
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const entries =
  process.argv.length > 2
    ? process.argv.slice(2)
    : Object.values(JSON.parse(readFileSync(`${root}package.json`, "utf8")).exports).map((target) =>
        target.default.replace(/^\.\/dist\/(.*)\.js$/, "$1"),
      );

for (const entry of entries) {
  const values = Object.keys(await import(pathToFileURL(`${root}dist/${entry}.js`).href));
  const declarations = `${root}dist/${entry}.d.ts`;
  const program = ts.createProgram([declarations], { noEmit: true });
  const checker = program.getTypeChecker();
  const all = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(declarations)));
  const types = all.map((symbol) => symbol.name).filter((name) => !values.includes(name));
  console.log(`${entry}: ${values.length + types.length} names (${values.length} values, ${types.length} types only)`);
}
