/**
 * What the logger interceptor and middleware need: one `info` call taking structured fields then a message, the
 * shape both `console` (which prints the fields then the message) and `pino` (which merges the fields into the JSON
 * line) accept.
 */
export interface Logger {
  info(fields: LogFields, message: string): void;
}

/**
 * The fields of one log line. Only names and addresses: never a payload, a field value, a request context or TLS
 * details, which may carry secrets.
 */
export interface LogFields {
  readonly event: "Invoke" | "InvokeError" | "InvokeException" | "Dispatch" | "DispatchError" | "DispatchException";
  readonly operation: string;
  /** The service address on the client, the path on the server. */
  readonly serviceAddress?: string;
  readonly path?: string;
  readonly localNetworkAddress?: string;
  readonly remoteNetworkAddress?: string;
  readonly statusCode?: string;
  readonly errorMessage?: string;
  /** The name and message of the error thrown, not its stack or its other properties. */
  readonly error?: string;
}
