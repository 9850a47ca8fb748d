import type { MultiplexedConnection } from "../../transport/multiplexed-connection.js";
import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";
import { abortStream } from "./abort-stream.js";

/**
 * An invocation in flight, which its caller, GoAway, shutdown and dispose may cancel. Canceling aborts its stream,
 * which makes whatever the invocation waits on (a flush, a read) fail at once; the invocation then reports the
 * cancellation's reason. This costs nothing per invocation, unlike an `AbortController`.
 */
export class PendingInvocation {
  stream: MultiplexedStream | undefined;
  #reason: { readonly value: unknown } | undefined;
  #rejectCreate: ((reason: unknown) => void) | undefined;

  get canceled(): boolean {
    return this.#reason !== undefined;
  }

  get reason(): unknown {
    return this.#reason?.value;
  }

  cancel(reason: unknown): void {
    if (this.#reason !== undefined) {
      return;
    }
    this.#reason = { value: reason };
    if (this.stream !== undefined) {
      abortStream(this.stream);
    } else {
      this.#rejectCreate?.(reason);
    }
  }

  /**
   * Creates the invocation's stream; a cancellation while the transport waits for a stream slot rejects at once,
   * and the stream the transport may still hand over later is given back.
   */
  createStream(transport: MultiplexedConnection, bidirectional: boolean, signal?: AbortSignal): Promise<MultiplexedStream> {
    return new Promise<MultiplexedStream>((resolve, reject) => {
      this.#rejectCreate = reject;
      transport.createStream(bidirectional, signal).then((stream) => {
        this.#rejectCreate = undefined;
        if (this.#reason !== undefined) {
          abortStream(stream); // canceled meanwhile: the invocation already rejected
          return;
        }
        this.stream = stream;
        resolve(stream);
      }, reject);
    });
  }
}
