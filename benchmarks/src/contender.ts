/** A connected client of one system under test. */
export interface EchoClient {
  /** Makes one two-way call carrying `payload` and rejects unless the same bytes come back. */
  call(payload: Uint8Array): Promise<void>;
  /** Closes the client and stops the server it started. */
  close(): Promise<void>;
}

/** Where a contender's server runs relative to the client, which always runs in the benchmark process. */
export type ServerPlacement = "separate process" | "same process";

/** A system under test. */
export interface Contender {
  /** E.g. "icerpc over tcp-yamux". */
  readonly label: string;
  readonly kind: "raw" | "grpc" | "icerpc";
  readonly serverPlacement: ServerPlacement;
  /** Starts the server and connects a client, or says why this contender cannot run here. */
  start(): Promise<EchoClient | { readonly unavailable: string }>;
}

/** Rejects unless `received` holds the bytes of `sent`. */
export function checkEcho(sent: Uint8Array, received: Uint8Array): void {
  let same = sent.length === received.length;
  for (let i = 0; same && i < sent.length; i++) {
    same = sent[i] === received[i];
  }
  if (!same) {
    throw new Error(`The echo differs from the request: sent ${sent.length} bytes, received ${received.length} bytes.`);
  }
}
