import {
  formatAltServerAddress,
  serverAddressFromParts,
  toServerAddress,
  type ServerAddress,
} from "./server-address.js";
import { checkParams, isValidPath, splitUri } from "./uri-syntax.js";

/** The parts of a {@link ServiceAddress} (whose protocol is icerpc): a path, a server address and alt-servers. */
export interface ServiceAddressInit {
  /** Default `/`. */
  readonly path?: string;
  readonly serverAddress?: ServerAddress | string;
  readonly altServerAddresses?: readonly (ServerAddress | string)[];
  /** Parameters of an address without server address (with one, parameters belong to the server address). */
  readonly params?: Readonly<Record<string, string>>;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * The address of a service: `icerpc://host:port/path?...&alt-server=h2:p2,h3` (with a server address),
 * `icerpc:/path?name=value` (without one: the invoker must know where to send it), or a relative `/path` (from
 * `parse`). It prints as its URI (`String(address)`, template literals, `console.log`).
 */
export class ServiceAddress {
  #protocol: "icerpc" | undefined = "icerpc";
  readonly path: string;
  readonly serverAddress: ServerAddress | undefined;
  readonly altServerAddresses: readonly ServerAddress[];
  /** Parameters of an address without server address (with one, parameters belong to the server address). */
  readonly params: Readonly<Record<string, string>>;

  /** An icerpc service address; throws `TypeError` saying what is wrong with `init`. */
  constructor(init: ServiceAddressInit = {}) {
    const path = init.path ?? "/";
    if (!isValidPath(path)) {
      throw new TypeError(
        `Invalid path '${path}': it must start with '/' and contain only visible ASCII characters other than ` +
          "\" < > # ? \\ ^ { | } and backtick (percent-encode the others).",
      );
    }
    if (init.serverAddress === undefined && (init.altServerAddresses?.length ?? 0) > 0) {
      throw new TypeError("A service address without server address cannot have alt-server addresses.");
    }
    const params = { ...init.params };
    if (init.serverAddress !== undefined && Object.keys(params).length > 0) {
      throw new TypeError("A service address with a server address has no parameters of its own.");
    }
    checkParams(params, "service address");
    this.path = path;
    this.serverAddress = init.serverAddress === undefined ? undefined : toServerAddress(init.serverAddress);
    this.altServerAddresses = Object.freeze((init.altServerAddresses ?? []).map(toServerAddress));
    this.params = Object.freeze(params);
  }

  /** `icerpc`, or `undefined` for a relative address. */
  get protocol(): "icerpc" | undefined {
    return this.#protocol;
  }

  /** Parses a service address URI; throws `TypeError` saying what is wrong. */
  static parse(uri: string): ServiceAddress {
    const parts = splitUri(uri);
    if (parts.scheme === undefined) {
      if (parts.query.length > 0 || parts.fragment !== undefined) {
        throw new TypeError(`Invalid service address '${uri}': a relative address is a path only.`);
      }
      const relative = new ServiceAddress({ path: parts.path });
      relative.#protocol = undefined;
      return relative;
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
      return new ServiceAddress({ path, params: Object.fromEntries(parts.query) });
    }
    const altServer = parts.query.find(([name]) => name === "alt-server")?.[1];
    const serverQuery = parts.query.filter(([name]) => name !== "alt-server");
    return new ServiceAddress({
      path,
      serverAddress: serverAddressFromParts(parts.authority, serverQuery, uri),
      altServerAddresses: altServer === undefined ? [] : parseAltServers(altServer, uri),
    });
  }

  toString(): string {
    if (this.protocol === undefined) {
      return this.path;
    }
    if (this.serverAddress === undefined) {
      const query = Object.entries(this.params).map(([n, v]) => (v === "" ? n : `${n}=${v}`));
      return `icerpc:${this.path}${query.length > 0 ? `?${query.join("&")}` : ""}`;
    }
    const server = this.serverAddress.toString();
    const queryAt = server.indexOf("?");
    const [origin, query] = queryAt < 0 ? [server, ""] : [server.slice(0, queryAt), server.slice(queryAt + 1)];
    const params = query === "" ? [] : [query];
    if (this.altServerAddresses.length > 0) {
      params.push(`alt-server=${this.altServerAddresses.map(formatAltServerAddress).join(",")}`);
    }
    return `${origin}${this.path}${params.length > 0 ? `?${params.join("&")}` : ""}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Node's `util.inspect` (and so `console.log`) shows the URI. */
  [inspect](): string {
    return this.toString();
  }
}

/** `address` itself, or the service address its URI is (throwing `TypeError` when invalid). */
export function toServiceAddress(address: ServiceAddress | string): ServiceAddress {
  return typeof address === "string" ? ServiceAddress.parse(address) : address;
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
