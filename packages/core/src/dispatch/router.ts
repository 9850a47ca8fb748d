import { InvalidOperationError } from "../errors/usage-errors.js";
import { isValidPath } from "../address/uri-syntax.js";
import { StatusCode } from "../protocol/status-code.js";
import { DispatchException } from "./dispatch-exception.js";
import { toDispatcher, type DispatchFunction, type Dispatcher, type Middleware } from "./dispatcher.js";
import type { IncomingRequest } from "./incoming-request.js";
import { OutgoingResponse } from "./outgoing-response.js";

/** A prefix match stops after this many segments, as IceRPC's router does. */
const maxSegments = 10;

/**
 * Routes requests by path to the dispatchers mapped (exact path) or mounted (path prefix) on it, through its
 * middleware. A request nothing matches gets a NotFound response. Middleware must be added before the first
 * dispatch.
 */
export class Router implements Dispatcher {
  /** The path prefix of this router when it is a sub-router created by `route`; "" for a top-level router. */
  readonly absolutePrefix: string;
  readonly #exact = new Map<string, Dispatcher>();
  readonly #prefixes = new Map<string, Dispatcher>();
  readonly #middleware: Middleware[] = [];
  #chain: Dispatcher | undefined;

  constructor(options: { absolutePrefix?: string } = {}) {
    this.absolutePrefix = normalizePrefix(options.absolutePrefix ?? "");
  }

  /** Routes requests whose path is exactly `path` (relative to `absolutePrefix`) to `dispatcher`. */
  map(path: string, dispatcher: Dispatcher | DispatchFunction): this {
    checkPath(path);
    this.#exact.set(path, toDispatcher(dispatcher));
    return this;
  }

  /** Routes requests whose path starts with the segments of `prefix` to `dispatcher`. */
  mount(prefix: string, dispatcher: Dispatcher | DispatchFunction): this {
    checkPath(prefix);
    this.#prefixes.set(normalizePrefix(prefix), toDispatcher(dispatcher));
    return this;
  }

  /** Creates a sub-router mounted at `prefix`, configured by `configure`. */
  route(prefix: string, configure: (router: Router) => void): this {
    checkPath(prefix);
    const subRouter = new Router({ absolutePrefix: this.absolutePrefix + normalizePrefix(prefix) });
    configure(subRouter);
    return this.mount(prefix, subRouter);
  }

  /** Adds middleware; the first added is the outermost. */
  use(middleware: Middleware): this {
    if (this.#chain !== undefined) {
      throw new InvalidOperationError("Cannot add middleware to a router after its first dispatch.");
    }
    this.#middleware.push(middleware);
    return this;
  }

  dispatch(request: IncomingRequest): Promise<OutgoingResponse> | OutgoingResponse {
    this.#chain ??= this.#middleware.reduceRight<Dispatcher>((next, middleware) => middleware(next), {
      dispatch: (request) => this.#route(request),
    });
    return this.#chain.dispatch(request);
  }

  #route(request: IncomingRequest): Promise<OutgoingResponse> | OutgoingResponse {
    let path = request.path;
    if (this.absolutePrefix !== "") {
      if (!path.startsWith(this.absolutePrefix)) {
        return notFound();
      }
      path = path.slice(this.absolutePrefix.length) || "/";
    }
    const exact = this.#exact.get(path);
    if (exact !== undefined) {
      return exact.dispatch(request);
    }
    // Try the path itself, then chop one trailing segment at a time down to "/".
    let candidate = normalizePrefix(path);
    for (let segments = 0; ; segments++) {
      if (segments > maxSegments) {
        throw new DispatchException(StatusCode.InvalidData, `Too many segments in path '${request.path}'.`);
      }
      const mounted = this.#prefixes.get(candidate);
      if (mounted !== undefined) {
        return mounted.dispatch(request);
      }
      if (candidate === "" ) {
        return notFound();
      }
      candidate = candidate.slice(0, candidate.lastIndexOf("/"));
    }
  }
}

function notFound(): OutgoingResponse {
  return new OutgoingResponse({ statusCode: StatusCode.NotFound });
}

/** "/" becomes "" and a trailing "/" is dropped, so that prefixes compare segment by segment. */
function normalizePrefix(prefix: string): string {
  return prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
}

function checkPath(path: string): void {
  if (!isValidPath(path)) {
    throw new TypeError(`Invalid router path '${path}': it must be a valid absolute path starting with '/'.`);
  }
}
