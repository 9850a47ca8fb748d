import type { MultiplexedClientTransport, MultiplexedServerTransport } from "@icerpc-ts/core/transport";

/** An icerpc transport the benchmark measures, when its package is installed. */
export interface IcerpcTransportEntry {
  /** The name in server addresses: `?transport=NAME`. */
  readonly name: string;
  /** The package exporting the transport; it must also be a dependency of benchmarks/package.json. */
  readonly packageName: string;
  /** The transport class the package exports, constructed without arguments. */
  readonly exportName: string;
  /** An in-process transport cannot reach another process: its server runs in the benchmark process. */
  readonly inProcess: boolean;
  /** What the row's label adds to the transport name, e.g. its multiplexer. */
  readonly detail?: string;
}

/** Every transport to measure: adding one is one line here (plus its package in benchmarks/package.json). */
export const icerpcTransports: readonly IcerpcTransportEntry[] = [
  { name: "memory", packageName: "@icerpc-ts/transport-memory", exportName: "MemoryTransport", inProcess: true },
  { name: "tcp-yamux", packageName: "@icerpc-ts/transport-tcp-yamux", exportName: "TcpYamuxTransport", inProcess: false },
  { name: "tcp", packageName: "@icerpc-ts/transport-tcp-slic", exportName: "TcpTransport", inProcess: false, detail: "Slic" },
  { name: "ws", packageName: "@icerpc-ts/transport-websocket", exportName: "WebSocketTransport", inProcess: false, detail: "Slic" },
];

export type IcerpcTransport = MultiplexedClientTransport & MultiplexedServerTransport;

/**
 * Imports the transport package of `entry` and constructs its transport; resolves with `undefined` when the package
 * is not installed. Throws when the package does not export the expected transport class.
 */
export async function loadTransport(entry: IcerpcTransportEntry): Promise<IcerpcTransport | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(entry.packageName)) as Record<string, unknown>;
  } catch (error) {
    if (isPackageNotFound(error, entry.packageName)) {
      return undefined;
    }
    throw error;
  }
  const TransportClass = module[entry.exportName];
  if (typeof TransportClass !== "function") {
    throw new TypeError(
      `${entry.packageName} exports no transport class '${entry.exportName}': fix exportName in benchmarks/src/contenders/icerpc-transports.ts.`,
    );
  }
  const transport = new (TransportClass as new () => IcerpcTransport)();
  if (transport.name !== entry.name) {
    throw new TypeError(`${entry.packageName}'s ${entry.exportName} is named '${transport.name}', not '${entry.name}'.`);
  }
  return transport;
}

/** True when `error` says that `packageName` itself (not something it imports) cannot be found. */
function isPackageNotFound(error: unknown, packageName: string): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
    error.message.includes(`'${packageName}'`)
  );
}
