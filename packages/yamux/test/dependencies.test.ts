// A multiplexer over any byte channel: it depends on the dependency-free primitives, never on the RPC protocol.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect, test } from "@jest/globals";

const packageDirectory = fileURLToPath(new URL("../", import.meta.url));

test("the package depends on @icerpc-ts/primitives only", () => {
  const manifest = JSON.parse(readFileSync(packageDirectory + "package.json", "utf8")) as {
    dependencies?: Record<string, string>;
  };
  expect(Object.keys(manifest.dependencies ?? {})).toEqual(["@icerpc-ts/primitives"]);
});

test("the sources import nothing but @icerpc-ts/primitives and each other", () => {
  const imported = new Set<string>();
  for (const file of readdirSync(packageDirectory + "src").filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(`${packageDirectory}src/${file}`, "utf8");
    for (const [, specifier] of source.matchAll(/from\s+"([^"]+)"/g)) {
      if (!specifier!.startsWith("./")) {
        imported.add(specifier!);
      }
    }
  }
  expect([...imported]).toEqual(["@icerpc-ts/primitives"]);
});
