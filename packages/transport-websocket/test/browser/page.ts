// The browser side of the browser test, bundled by esbuild for the page the test server serves: icerpc over the
// browser's own WebSocket (the package's "browser" entry point), against the Node server of browser.test.ts.
import {
  ClientConnection,
  OutgoingRequest,
  OutgoingResponse,
  ServiceAddress,
  StatusCode,
  TransportRegistry,
} from "@icerpc-ts/core";
import { WebSocketTransport } from "@icerpc-ts/transport-websocket";

import { patternChunks, streamedPayloadSize, summarize, type PayloadSummary } from "./payload-pattern.js";

export interface PageResults {
  readonly echoed: string;
  /** What the server's summary of the 10 MB this page streamed to it says. */
  readonly uploaded: PayloadSummary;
  /** The page's summary of the 10 MB the server streamed to it. */
  readonly downloaded: PayloadSummary;
  /** The server's callback over the same connection, as the server saw its answer. */
  readonly callback: string;
}

export interface BoundedUploadResults {
  readonly uploaded: PayloadSummary;
  /** The largest `bufferedAmount` any WebSocket of the page reached, right after a send. */
  readonly maxBufferedAmount: number;
}

declare global {
  interface Window {
    runCalls(serverAddress: string, secure: boolean): Promise<PageResults>;
    runBoundedUpload(serverAddress: string, size: number): Promise<BoundedUploadResults>;
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function connect(serverAddress: string, secure: boolean): ClientConnection {
  const transports = new TransportRegistry().register(new WebSocketTransport({ secure }));
  return new ClientConnection({
    serverAddress,
    transports,
    // The server's callbacks over this connection.
    dispatcher: async (request) => {
      const text = decoder.decode(await request.payload.readAll());
      return new OutgoingResponse({ payload: encoder.encode(`browser answers ${text}`) });
    },
  });
}

window.runCalls = async (serverAddress, secure) => {
  const connection = connect(serverAddress, secure);
  const call = async (path: string, init: ConstructorParameters<typeof OutgoingRequest>[1]): Promise<Uint8Array> => {
    const response = await connection.invoke(new OutgoingRequest(new ServiceAddress({ path, serverAddress }), init));
    if (response.statusCode !== StatusCode.Ok) {
      throw new Error(`${path} failed: ${response.errorMessage}`);
    }
    return response.payload.readAll();
  };
  try {
    const echoed = decoder.decode(await call("/echo", { operation: "echo", payload: encoder.encode("hello") }));
    await call("/notify", { operation: "notify", isOneway: true, payload: encoder.encode("one way from the browser") });
    const uploaded = JSON.parse(
      decoder.decode(await call("/upload", { operation: "upload", payload: patternChunks(streamedPayloadSize) })),
    ) as PayloadSummary;
    const response = await connection.invoke(
      new OutgoingRequest(new ServiceAddress({ path: "/download", serverAddress }), { operation: "download" }),
    );
    const downloaded = await summarize(response.payload);
    const callback = decoder.decode(await call("/callback", { operation: "callMeBack" }));
    await connection.shutdown();
    return { echoed, uploaded, downloaded, callback };
  } finally {
    await connection.dispose();
  }
};

window.runBoundedUpload = async (serverAddress, size) => {
  // Watches what the browser buffers: WebSocket.send returns at once and queues whatever it is given.
  let maxBufferedAmount = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
    send.call(this, data);
    maxBufferedAmount = Math.max(maxBufferedAmount, this.bufferedAmount);
  };
  const connection = connect(serverAddress, false);
  try {
    const response = await connection.invoke(
      new OutgoingRequest(new ServiceAddress({ path: "/upload", serverAddress }), {
        operation: "upload",
        payload: patternChunks(size),
      }),
    );
    const uploaded = JSON.parse(decoder.decode(await response.payload.readAll())) as PayloadSummary;
    await connection.shutdown();
    return { uploaded, maxBufferedAmount };
  } finally {
    WebSocket.prototype.send = send;
    await connection.dispose();
  }
};
