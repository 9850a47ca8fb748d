import type { TransportAddress } from "../transport/transport-address.js";

/**
 * Throws a `TypeError` naming the first parameter of `address` that is not in `known`. Every transport calls this in
 * `createConnection` and `listen`, so that a misspelt parameter is reported instead of silently ignored.
 */
export function checkTransportParams(address: TransportAddress, transportName: string, known: readonly string[] = []): void {
  for (const name of Object.keys(address.params)) {
    if (!known.includes(name)) {
      const accepted = known.length === 0 ? "it accepts no parameters" : `it accepts only ${known.join(", ")}`;
      throw new TypeError(`Unknown parameter '${name}' for transport '${transportName}': ${accepted}.`);
    }
  }
}
