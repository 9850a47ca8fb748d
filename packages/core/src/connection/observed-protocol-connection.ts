import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import { notifyObserver, type ConnectionObserver } from "./connection-observer.js";
import type { ConnectResult, ProtocolConnection } from "./protocol-connection.js";

/**
 * A protocol connection that tells a {@link ConnectionObserver} how its connect ends and, once connected, when it
 * closes. Only the first connect is observed: a second one is a usage error, not a connection.
 */
export class ObservedProtocolConnection implements ProtocolConnection {
  readonly #connection: ProtocolConnection;
  readonly #observer: ConnectionObserver;
  #connectStarted: boolean;
  #connectObserved = false;

  /**
   * @param connectStarted whether the owner already reported `connectStarted` (a server does on accept, before the
   * transport handshake that precedes this connection).
   */
  constructor(connection: ProtocolConnection, observer: ConnectionObserver, connectStarted = false) {
    this.#connection = connection;
    this.#observer = observer;
    this.#connectStarted = connectStarted;
  }

  get closed(): Promise<Error | undefined> {
    return this.#connection.closed;
  }

  connect(signal?: AbortSignal): Promise<ConnectResult> {
    if (this.#connectObserved) {
      return this.#connection.connect(signal);
    }
    this.#connectObserved = true;
    const observer = this.#observer;
    if (!this.#connectStarted) {
      this.#connectStarted = true;
      notifyObserver(() => observer.connectStarted?.());
    }
    return this.#connection.connect(signal).then(
      (result) => {
        notifyObserver(() => observer.connected?.(result.transportConnectionInformation));
        void this.#connection.closed.then((error) => notifyObserver(() => observer.closed?.(error)));
        return result;
      },
      (error: unknown) => {
        notifyObserver(() => observer.connectFailed?.(error));
        throw error;
      },
    );
  }

  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    return this.#connection.invoke(request, signal);
  }

  shutdown(signal?: AbortSignal): Promise<void> {
    return this.#connection.shutdown(signal);
  }

  dispose(): Promise<void> {
    return this.#connection.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
