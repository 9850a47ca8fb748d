// The package runs in browsers: its sources use no Node module and no Buffer, only Uint8Array and web globals.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect, test } from "@jest/globals";

const sourceDirectory = fileURLToPath(new URL("../src/", import.meta.url));

test("the sources import no node: module and use no Buffer", () => {
  const offenders: string[] = [];
  for (const file of readdirSync(sourceDirectory).filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(sourceDirectory + file, "utf8");
    if (/from\s+["']node:|require\(|\bBuffer\b|\bprocess\./.test(source)) {
      offenders.push(file);
    }
  }
  expect(offenders).toEqual([]);
});
