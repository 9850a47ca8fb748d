import { InvalidOperationError } from "../errors/usage-errors.js";
import type { IncomingResponse } from "./incoming-response.js";
import type { Interceptor, Invoker } from "./invoker.js";
import type { OutgoingRequest } from "./outgoing-request.js";

/**
 * A chain of interceptors ending in an invoker (a connection or a connection cache). The first interceptor added is
 * the outermost. The chain is built on the first invocation; adding interceptors after that throws.
 */
export class Pipeline implements Invoker {
  readonly #interceptors: Interceptor[] = [];
  #last: Invoker | undefined;
  #chain: Invoker | undefined;

  use(interceptor: Interceptor): this {
    if (this.#chain !== undefined) {
      throw new InvalidOperationError("Cannot add an interceptor to a pipeline after its first invocation.");
    }
    this.#interceptors.push(interceptor);
    return this;
  }

  /** Sets the invoker at the end of the chain. */
  into(last: Invoker): this {
    if (this.#chain !== undefined) {
      throw new InvalidOperationError("Cannot change the last invoker of a pipeline after its first invocation.");
    }
    this.#last = last;
    return this;
  }

  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    if (this.#chain === undefined) {
      if (this.#last === undefined) {
        throw new InvalidOperationError("The pipeline has no last invoker: call into(invoker) before invoking.");
      }
      this.#chain = this.#interceptors.reduceRight<Invoker>((next, interceptor) => interceptor(next), this.#last);
    }
    return this.#chain.invoke(request, signal);
  }
}
