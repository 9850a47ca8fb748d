import type { MultiplexedClientTransport, MultiplexedServerTransport } from "./multiplexed-transport.js";

type AnyTransport = MultiplexedClientTransport | MultiplexedServerTransport;

/**
 * The transports an application installed, keyed by name. Server addresses choose one with `?transport=NAME`; an
 * address without `transport` uses the default transport: the one named by `defaultTransport`, or else the only one
 * registered.
 */
export class TransportRegistry {
  readonly #clients = new Map<string, MultiplexedClientTransport>();
  readonly #servers = new Map<string, MultiplexedServerTransport>();
  readonly #defaultTransport: string | undefined;

  constructor(options: { defaultTransport?: string } = {}) {
    this.#defaultTransport = options.defaultTransport;
  }

  /**
   * Registers transports; an object implementing both the client and the server interface is registered as both.
   * A later registration under the same name replaces the earlier one.
   */
  register(...transports: AnyTransport[]): this {
    for (const transport of transports) {
      let known = false;
      if ("createConnection" in transport) {
        this.#clients.set(transport.name, transport);
        known = true;
      }
      if ("listen" in transport) {
        this.#servers.set(transport.name, transport);
        known = true;
      }
      if (!known) {
        throw new TypeError(`Cannot register '${String((transport as { name?: unknown }).name)}': it is neither a client nor a server transport.`);
      }
    }
    return this;
  }

  /** The client transport named `name` (the default one when `name` is undefined). */
  clientTransport(name?: string): MultiplexedClientTransport {
    return this.#find(this.#clients, name, "client");
  }

  /** The server transport named `name` (the default one when `name` is undefined). */
  serverTransport(name?: string): MultiplexedServerTransport {
    return this.#find(this.#servers, name, "server");
  }

  #find<T>(transports: ReadonlyMap<string, T>, name: string | undefined, side: Side): T {
    const resolved = name ?? this.#defaultTransport ?? (transports.size === 1 ? [...transports.keys()][0] : undefined);
    const transport = resolved === undefined ? undefined : transports.get(resolved);
    if (transport === undefined) {
      throw new TypeError(
        resolved === undefined
          ? this.#noTransportNamed(transports, side)
          : this.#notRegistered(resolved, name === undefined, transports, side),
      );
    }
    return transport;
  }

  /** Why an address without `transport` cannot pick one: no transport, or several and no default, is registered. */
  #noTransportNamed(transports: ReadonlyMap<string, unknown>, side: Side): string {
    if (transports.size === 0) {
      return `No ${side} transport is registered: register the transports you installed, e.g. ${registration}.`;
    }
    const registered = quoted([...transports.keys()]);
    return (
      `The server address names no transport and several ${side} transports are registered (${registered}): ` +
      "add '?transport=NAME' to the address, or give the TransportRegistry a defaultTransport."
    );
  }

  /** Why `name` (the registry's default when `isDefault`) names no registered transport, and what to do about it. */
  #notRegistered(name: string, isDefault: boolean, transports: ReadonlyMap<string, unknown>, side: Side): string {
    const what = isDefault ? `the registry's defaultTransport '${name}'` : `'${name}'`;
    const names = [...transports.keys()];
    const registered = names.length === 0 ? `the registry has no ${side} transport` : `registered: ${quoted(names)}`;
    const [otherSide, otherTransports] = side === "client" ? ["server", this.#servers] : ["client", this.#clients];
    const close = closeNames(name, names);
    const hint = otherTransports.has(name)
      ? ` '${name}' is registered as a ${otherSide} transport only: register its ${side} transport too.`
      : (close.length > 0 ? ` Did you mean ${quoted(close, " or ")}?` : "") +
        ` To use '${name}', register its ${side} transport: ${registration}.`;
    return `No ${side} transport named ${what} is registered (${registered}).${hint}`;
  }
}

type Side = "client" | "server";

const registration = "new TransportRegistry().register(new XTransport())";

function quoted(names: readonly string[], separator = ", "): string {
  return names.map((name) => `'${name}'`).join(separator);
}

/**
 * The names among `candidates` that `name` was likely meant to be, closest first: the same name in another case, a
 * name that starts with it or has it as a dash-separated part (`tcp` and `tcp-yamux`) or the reverse, or a name one
 * typo away (two for names longer than 4), a typo being an insertion, deletion, substitution or swap of neighbours.
 */
function closeNames(name: string, candidates: readonly string[]): string[] {
  const wanted = name.toLowerCase();
  const maxTypos = wanted.length > 4 ? 2 : 1;
  return candidates
    .map((candidate) => ({ candidate, typos: typoDistance(wanted, candidate.toLowerCase()) }))
    .filter(({ candidate, typos }) => typos <= maxTypos || isPart(wanted, candidate.toLowerCase()))
    .sort((a, b) => a.typos - b.typos)
    .map(({ candidate }) => candidate);
}

function isPart(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return longer.startsWith(shorter) || longer.split("-").includes(shorter);
}

/** The optimal string alignment distance from `a` to `b`: Levenshtein's, with a swap of neighbours as one edit. */
function typoDistance(a: string, b: string): number {
  // distances[i][j]: from a's first i characters to b's first j.
  const distances = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => distances[i]![j]!;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      distances[i]![j] = distance;
    }
  }
  return at(a.length, b.length);
}
