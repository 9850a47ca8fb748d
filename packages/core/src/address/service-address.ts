import {
  formatAltServerAddress,
  formatServerAddress,
  serverAddressFromParts,
  type ServerAddress,
} from "./server-address.js";
import { isValidPath, splitUri } from "./uri-syntax.js";

/**
 * The address of a service: `icerpc://host:port/path?...&alt-server=h2:p2,h3` (with a server address),
 * `icerpc:/path?name=value` (without one: the invoker must know where to send it), or a relative `/path`.
 */
export class ServiceAddress {
  /** `icerpc`, or `undefined` for a relative address. */
  readonly protocol: "icerpc" | undefined;
  readonly path: string;
  readonly serverAddress: ServerAddress | undefined;
  readonly altServerAddresses: readonly ServerAddress[];
  /** Parameters of an address without server address (with one, parameters belong to the server address). */
  readonly params: Readonly<Record<string, string>>;

  constructor(init: {
    protocol?: "icerpc";
    path: string;
    serverAddress?: ServerAddress;
    altServerAddresses?: readonly ServerAddress[];
    params?: Readonly<Record<string, string>>;
  }) {
    if (!isValidPath(init.path)) {
      throw new TypeError(
        `Invalid path '${init.path}': it must start with '/' and contain only visible ASCII characters other than ` +
          "\" < > # ? \\ ^ { | } and backtick (percent-encode the others).",
      );
    }
    if (init.protocol === undefined && (init.serverAddress !== undefined || init.params !== undefined)) {
      throw new TypeError("A relative service address has neither server address nor parameters.");
    }
    if (init.serverAddress === undefined && (init.altServerAddresses?.length ?? 0) > 0) {
      throw new TypeError("A service address without server address cannot have alt-server addresses.");
    }
    if (init.serverAddress !== undefined && init.params !== undefined && Object.keys(init.params).length > 0) {
      throw new TypeError("A service address with a server address has no parameters of its own.");
    }
    this.protocol = init.protocol;
    this.path = init.path;
    this.serverAddress = init.serverAddress;
    this.altServerAddresses = init.altServerAddresses ?? [];
    this.params = init.params ?? {};
  }

  /** Parses a service address URI; throws `TypeError` saying what is wrong. */
  static parse(uri: string): ServiceAddress {
    const parts = splitUri(uri);
    if (parts.scheme === undefined) {
      if (parts.query.length > 0 || parts.fragment !== undefined) {
        throw new TypeError(`Invalid service address '${uri}': a relative address is a path only.`);
      }
      return new ServiceAddress({ path: parts.path });
    }
    if (parts.scheme !== "icerpc") {
      throw new TypeError(
        parts.scheme === "ice"
          ? `Invalid service address '${uri}': the ice protocol is not supported, use icerpc://.`
          : `Invalid service address '${uri}': unknown protocol '${parts.scheme}', use icerpc://.`,
      );
    }
    if (parts.fragment !== undefined) {
      throw new TypeError(`Invalid service address '${uri}': the icerpc protocol does not support fragments.`);
    }
    const path = parts.path === "" ? "/" : parts.path;
    if (parts.authority === undefined) {
      return new ServiceAddress({ protocol: "icerpc", path, params: Object.fromEntries(parts.query) });
    }
    const altServer = parts.query.find(([name]) => name === "alt-server")?.[1];
    const serverQuery = parts.query.filter(([name]) => name !== "alt-server");
    return new ServiceAddress({
      protocol: "icerpc",
      path,
      serverAddress: serverAddressFromParts(parts.authority, serverQuery, uri),
      altServerAddresses: altServer === undefined ? [] : parseAltServers(altServer, uri),
    });
  }

  /** A copy with other server addresses (e.g. rotated after a failed connection attempt). */
  withServerAddresses(serverAddress: ServerAddress, altServerAddresses: readonly ServerAddress[]): ServiceAddress {
    return new ServiceAddress({ protocol: "icerpc", path: this.path, serverAddress, altServerAddresses });
  }

  toString(): string {
    if (this.protocol === undefined) {
      return this.path;
    }
    if (this.serverAddress === undefined) {
      const query = Object.entries(this.params).map(([n, v]) => (v === "" ? n : `${n}=${v}`));
      return `icerpc:${this.path}${query.length > 0 ? `?${query.join("&")}` : ""}`;
    }
    const server = formatServerAddress(this.serverAddress);
    const queryAt = server.indexOf("?");
    const [origin, query] = queryAt < 0 ? [server, ""] : [server.slice(0, queryAt), server.slice(queryAt + 1)];
    const params = query === "" ? [] : [query];
    if (this.altServerAddresses.length > 0) {
      params.push(`alt-server=${this.altServerAddresses.map(formatAltServerAddress).join(",")}`);
    }
    return `${origin}${this.path}${params.length > 0 ? `?${params.join("&")}` : ""}`;
  }
}

function parseAltServers(value: string, uri: string): ServerAddress[] {
  if (value === "") {
    throw new TypeError(`Invalid service address '${uri}': alt-server is empty.`);
  }
  return value.split(",").map((entry) => {
    const parts = splitUri(`icerpc://${entry}`, "$");
    if (parts.authority === undefined || parts.path !== "" || parts.fragment !== undefined) {
      throw new TypeError(`Invalid service address '${uri}': '${entry}' is not a valid alt-server address.`);
    }
    return serverAddressFromParts(parts.authority, parts.query, uri);
  });
}
