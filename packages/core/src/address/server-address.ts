import { checkParams, hostProblem, isValidParamValue, splitUri } from "./uri-syntax.js";

/** The icerpc protocol's default port. */
export const icerpcDefaultPort = 4062;

/** The parts of a {@link ServerAddress}: a host, and optionally a port (default 4062), a transport and parameters. */
export interface ServerAddressInit {
  /** A host name or an IP address (an IPv6 address without brackets). */
  readonly host: string;
  readonly port?: number;
  readonly transport?: string;
  readonly params?: Readonly<Record<string, string>>;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Where a server listens or a client connects: `icerpc://host[:port][?transport=NAME][&name=value...]`. The
 * transport, when given, selects a registered transport package; other parameters go to that transport, which
 * rejects those it does not know. It prints as its URI (`String(address)`, template literals, `console.log`).
 */
export class ServerAddress {
  /** Lower-cased; an IPv6 address without its brackets. */
  readonly host: string;
  readonly port: number;
  readonly transport: string | undefined;
  readonly params: Readonly<Record<string, string>>;

  /** Throws `TypeError` saying what is wrong with `init`. */
  constructor(init: ServerAddressInit) {
    const problem = hostProblem(init.host);
    if (problem !== undefined) {
      throw new TypeError(`Invalid server address host: ${problem}.`);
    }
    const port = init.port ?? icerpcDefaultPort;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new TypeError(`Invalid server address port ${port}: it must be an integer from 0 to 65535.`);
    }
    if (init.transport !== undefined && (init.transport === "" || !isValidParamValue(init.transport))) {
      throw new TypeError(`Invalid server address transport '${init.transport}': it must be a non-empty name.`);
    }
    const params = { ...init.params };
    if ("transport" in params) {
      throw new TypeError("A server address takes its transport as the transport property, not as a parameter.");
    }
    if ("alt-server" in params) {
      throw new TypeError("A server address has no alt-server parameter: alt-servers belong to a service address.");
    }
    checkParams(params, "server address");
    this.host = init.host.toLowerCase();
    this.port = port;
    this.transport = init.transport;
    this.params = Object.freeze(params);
  }

  /** Parses a server address URI; throws `TypeError` saying what is wrong. */
  static parse(uri: string): ServerAddress {
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

  /**
   * True when this address and `other` designate the same server. With `optionalTransport`, a missing transport on
   * either side matches any transport (IceRPC's `ServerAddressComparer.OptionalTransport`, used by connection
   * caches).
   */
  equals(other: ServerAddress | string, options: { readonly optionalTransport?: boolean } = {}): boolean {
    const that = toServerAddress(other);
    if (this.host !== that.host || this.port !== that.port) {
      return false;
    }
    const transportsMatch =
      this.transport === that.transport ||
      (options.optionalTransport === true && (this.transport === undefined || that.transport === undefined));
    if (!transportsMatch) {
      return false;
    }
    const names = Object.keys(this.params);
    return (
      names.length === Object.keys(that.params).length && names.every((name) => that.params[name] === this.params[name])
    );
  }

  /** The URI, e.g. `icerpc://[::1]:4062?transport=quic`. */
  toString(): string {
    return `icerpc://${formatAuthority(this)}${formatQuery(this, "&")}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Node's `util.inspect` (and so `console.log`) shows the URI. */
  [inspect](): string {
    return this.toString();
  }
}

/** `address` as an alt-server entry of a service address: no scheme, parameters separated by `$`. */
export function formatAltServerAddress(address: ServerAddress): string {
  return `${formatAuthority(address)}${formatQuery(address, "$")}`;
}

function formatAuthority(address: ServerAddress): string {
  return `${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
}

function formatQuery(address: ServerAddress, separator: string): string {
  const pairs = Object.entries(address.params).map(([name, value]) => (value === "" ? name : `${name}=${value}`));
  if (address.transport !== undefined) {
    pairs.unshift(`transport=${address.transport}`);
  }
  return pairs.length === 0 ? "" : `?${pairs.join(separator)}`;
}

/** `address` itself, or the server address its URI is (throwing `TypeError` when invalid). */
export function toServerAddress(address: ServerAddress | string): ServerAddress {
  return typeof address === "string" ? ServerAddress.parse(address) : address;
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
  return new ServerAddress({ host: authority.host, port: authority.port ?? icerpcDefaultPort, transport, params });
}
