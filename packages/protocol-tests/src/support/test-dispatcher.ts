import { OutgoingResponse, type Dispatcher, type IncomingRequest } from "@icerpc-ts/core";
import { Deferred, waitAbortable } from "@icerpc-ts/primitives";

import { ItemList } from "../faulty-transport/item-list.js";
import { PayloadSource } from "./payload-source.js";

/** How a dispatch of a {@link TestDispatcher} ended: it returned its response, or its signal aborted it. */
export type DispatchOutcome = { readonly canceled: false } | { readonly canceled: true; readonly reason: unknown };

/**
 * A dispatcher whose first `holdCount` dispatches wait until the test releases them (or their signal aborts), and
 * which records every request and how each dispatch ended (IceRPC C#'s `TestDispatcher`). Each response carries a
 * fresh {@link PayloadSource} with `responsePayload`, so that tests can see how the connection finished it.
 */
export class TestDispatcher implements Dispatcher {
  readonly requests = new ItemList<IncomingRequest>("dispatched request");
  /** The payload of each response, in dispatch order. */
  readonly responsePayloads = new ItemList<PayloadSource>("response payload");
  readonly #holdCount: number;
  readonly #responsePayload: Uint8Array | undefined;
  readonly #outcomes: Deferred<DispatchOutcome>[] = [];
  #releases = 0;
  #releaseSignal = new Deferred<void>();
  #releasedAll = false;

  constructor(options: { holdCount?: number; responsePayload?: Uint8Array } = {}) {
    this.#holdCount = options.holdCount ?? 0;
    this.#responsePayload = options.responsePayload;
  }

  /** The first request, once its dispatch started. */
  get dispatchStart(): Promise<IncomingRequest> {
    return this.requests.at(0);
  }

  /** How the first dispatch ended. */
  get dispatchComplete(): Promise<DispatchOutcome> {
    return this.outcome(0);
  }

  /** How the dispatch at `index` (0 is the first) ended, once it did. */
  outcome(index: number): Promise<DispatchOutcome> {
    return this.#outcomeDeferred(index).promise;
  }

  /** Lets `count` held dispatches (present or future) return. */
  releaseDispatch(count = 1): void {
    this.#releases += count;
    this.#wakeHeld();
  }

  /** Lets every held dispatch, present and future, return: what a test's cleanup does. */
  releaseAll(): void {
    this.#releasedAll = true;
    this.#wakeHeld();
  }

  async dispatch(request: IncomingRequest): Promise<OutgoingResponse> {
    const index = this.requests.length;
    const payload = new PayloadSource(this.#responsePayload === undefined ? [] : [this.#responsePayload]);
    this.responsePayloads.add(payload);
    this.requests.add(request);
    const outcome = this.#outcomeDeferred(index);
    try {
      if (index < this.#holdCount) {
        await this.#waitForRelease(request.signal);
      }
    } catch (error) {
      outcome.resolve({ canceled: true, reason: error });
      throw error;
    }
    outcome.resolve({ canceled: false });
    return new OutgoingResponse({ payload });
  }

  async #waitForRelease(signal: AbortSignal): Promise<void> {
    while (!this.#releasedAll && this.#releases === 0) {
      await waitAbortable(this.#releaseSignal.promise, signal);
    }
    if (!this.#releasedAll) {
      this.#releases--;
    }
  }

  #wakeHeld(): void {
    const signal = this.#releaseSignal;
    this.#releaseSignal = new Deferred<void>();
    signal.resolve();
  }

  #outcomeDeferred(index: number): Deferred<DispatchOutcome> {
    let outcome = this.#outcomes[index];
    if (outcome === undefined) {
      outcome = new Deferred<DispatchOutcome>();
      this.#outcomes[index] = outcome;
    }
    return outcome;
  }
}
