import type { StreamInput } from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

import { yieldToEventLoop } from "./event-loop.js";

/**
 * Reads `input` to its end and returns every byte received, in order. The chunks are kept as `read` returned them
 * and copied only at the end, which also checks that the transport does not reuse a buffer it handed out.
 */
export async function readAll(input: StreamInput, options: { yieldBetweenReads?: boolean } = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await input.read(); chunk !== null; chunk = await input.read()) {
    chunks.push(chunk);
    if (options.yieldBetweenReads === true) {
      await yieldToEventLoop();
    }
  }
  return concatBytes(chunks);
}
