// The package runs in browsers: its sources use no Node module and no Buffer, only Uint8Array and web globals, and
// depend on nothing but core and primitives.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect, test } from "@jest/globals";

const packageDirectory = fileURLToPath(new URL("../", import.meta.url));
const sources = readdirSync(packageDirectory + "src").filter((name) => name.endsWith(".ts"));

test("the sources import no node: module and use no Buffer", () => {
  const offenders = sources.filter((file) =>
    /from\s+["']node:|require\(|\bBuffer\b|\bprocess\./.test(readFileSync(`${packageDirectory}src/${file}`, "utf8")),
  );
  expect(offenders).toEqual([]);
});

test("the package depends on @icerpc-ts/core and @icerpc-ts/primitives only", () => {
  const manifest = JSON.parse(readFileSync(packageDirectory + "package.json", "utf8")) as {
    dependencies?: Record<string, string>;
  };
  expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(["@icerpc-ts/core", "@icerpc-ts/primitives"]);
});
