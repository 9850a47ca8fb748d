// The bytes IceRPC C# sent, recorded between a C# client and a C# server (see ../golden/README.md).
import { readFileSync } from "node:fs";

export interface GoldenFrame {
  readonly dir: "c2s" | "s2c";
  readonly frameName: string;
  readonly streamId?: number;
  readonly hex?: string;
  /** The frame's first bytes only, for frames whose data was not kept. */
  readonly hexHeader?: string;
  readonly bodySize?: number;
  readonly dataLength?: number;
}

export interface GoldenEntry {
  readonly id: string;
  readonly layer: string;
  readonly description: string;
  readonly dir?: "c2s" | "s2c";
  readonly frameName?: string;
  readonly streamId?: number;
  readonly hex?: string;
  readonly windowSizeIncrement?: number;
  readonly frames?: readonly GoldenFrame[];
}

const golden = JSON.parse(readFileSync(new URL("../golden/csharp-icerpc.json", import.meta.url), "utf8")) as {
  entries: GoldenEntry[];
};

export const goldenEntries: readonly GoldenEntry[] = golden.entries;

/** The entry named `id`; throws for a name the file does not have. */
export function goldenEntry(id: string): GoldenEntry {
  const entry = goldenEntries.find((candidate) => candidate.id === id);
  if (entry === undefined) {
    throw new Error(`The golden file has no entry '${id}'.`);
  }
  return entry;
}
