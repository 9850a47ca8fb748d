import { splitUri } from "./uri-syntax.js";

/** The icerpc protocol's default port. */
export const icerpcDefaultPort = 4062;

/**
 * Where a server listens or a client connects: `icerpc://host[:port][?transport=NAME][&name=value...]`. The
 * transport, when given, selects a registered transport package; other parameters go to that transport, which
 * rejects those it does not know.
 */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly transport?: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a server address URI; throws `TypeError` saying what is wrong. */
export function parseServerAddress(uri: string): ServerAddress {
  const parts = splitUri(uri);
  if (parts.scheme !== "icerpc") {
    throw new TypeError(
      parts.scheme === "ice"
        ? `Invalid server address '${uri}': the ice protocol is not supported, use icerpc://.`
        : `Invalid server address '${uri}': it must start with icerpc://.`,
    );
  }
  if (parts.authority === undefined) {
    throw new TypeError(`Invalid server address '${uri}': it has no host.`);
  }
  if (parts.path !== "" && parts.path !== "/") {
    throw new TypeError(`Invalid server address '${uri}': a server address has no path.`);
  }
  if (parts.fragment !== undefined) {
    throw new TypeError(`Invalid server address '${uri}': a server address has no fragment.`);
  }
  return serverAddressFromParts(parts.authority, parts.query, uri);
}

/** Builds a server address from a parsed authority and query; used for main and alt-server addresses alike. */
export function serverAddressFromParts(
  authority: { host: string; port: number | undefined },
  query: ReadonlyArray<readonly [string, string]>,
  uri: string,
): ServerAddress {
  let transport: string | undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of query) {
    if (name === "transport") {
      if (value === "") {
        throw new TypeError(`Invalid server address '${uri}': the transport parameter is empty.`);
      }
      transport = value;
    } else if (name === "alt-server") {
      throw new TypeError(`Invalid server address '${uri}': alt-server belongs to a service address.`);
    } else {
      params[name] = value;
    }
  }
  const address: ServerAddress = { host: authority.host, port: authority.port ?? icerpcDefaultPort, params };
  return transport === undefined ? address : { ...address, transport };
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function formatQuery(address: ServerAddress, separator: string): string {
  const pairs = Object.entries(address.params).map(([name, value]) => (value === "" ? name : `${name}=${value}`));
  if (address.transport !== undefined) {
    pairs.unshift(`transport=${address.transport}`);
  }
  return pairs.length === 0 ? "" : `?${pairs.join(separator)}`;
}

/** Formats `address` as its URI, e.g. `icerpc://[::1]:4062?transport=quic`. */
export function formatServerAddress(address: ServerAddress): string {
  return `icerpc://${formatHost(address.host)}:${address.port}${formatQuery(address, "&")}`;
}

/** Formats `address` as an alt-server entry: no scheme, parameters separated by `$`. */
export function formatAltServerAddress(address: ServerAddress): string {
  return `${formatHost(address.host)}:${address.port}${formatQuery(address, "$")}`;
}

/**
 * True when `a` and `b` designate the same server. With `optionalTransport`, a missing transport on either side
 * matches any transport (IceRPC's `ServerAddressComparer.OptionalTransport`, used by connection caches).
 */
export function serverAddressEquals(a: ServerAddress, b: ServerAddress, options: { optionalTransport?: boolean } = {}): boolean {
  if (a.host !== b.host || a.port !== b.port) {
    return false;
  }
  const transportsMatch =
    a.transport === b.transport ||
    (options.optionalTransport === true && (a.transport === undefined || b.transport === undefined));
  if (!transportsMatch) {
    return false;
  }
  const aKeys = Object.keys(a.params);
  return aKeys.length === Object.keys(b.params).length && aKeys.every((k) => b.params[k] === a.params[k]);
}
