import type { StreamInput } from "@icerpc-ts/core/transport";

import { yieldToEventLoop } from "./event-loop.js";

/**
 * Reads `input` to its end and returns every byte received, in order. The chunks are kept as `read` returned them
 * and copied only at the end, which also checks that the transport does not reuse a buffer it handed out.
 */
export async function readAll(input: StreamInput, options: { yieldBetweenReads?: boolean } = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let chunk = await input.read(); chunk !== null; chunk = await input.read()) {
    chunks.push(chunk);
    length += chunk.length;
    if (options.yieldBetweenReads === true) {
      await yieldToEventLoop();
    }
  }
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}
