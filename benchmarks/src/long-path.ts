// One yamux stream over a long network path against a raw socket over the same path: what window growth gives.
// The path is a relay between two loopback connections that delivers each chunk `roundTrip / 2` ms after it
// arrived, in order, in the pieces TCP gives.
import { once } from "node:events";
import { delayedSocketPair } from "@icerpc-ts/net-test-support";
import { SocketChannel } from "@icerpc-ts/primitives";
import { YamuxSession } from "@icerpc-ts/yamux";

export interface LongPathSettings {
  /** The round trips to measure, in milliseconds. */
  readonly roundTrips: readonly number[];
  /** The bytes of each transfer. */
  readonly bytes: number;
  /** How many times each transfer runs (raw and yamux in turn); the median counts. */
  readonly repeats: number;
}

export const fullLongPath: LongPathSettings = { roundTrips: [10, 20, 40, 100], bytes: 64 * 1024 * 1024, repeats: 3 };
export const smokeLongPath: LongPathSettings = { roundTrips: [20], bytes: 4 * 1024 * 1024, repeats: 1 };

export interface LongPathResult {
  readonly roundTripMs: number;
  readonly rawMiBps: number;
  readonly yamuxMiBps: number;
  /** The receive window of the yamux stream at the end, in bytes. */
  readonly yamuxWindow: number;
}

const block = 1024 * 1024;

export async function runLongPath(settings: LongPathSettings): Promise<LongPathResult[]> {
  const results: LongPathResult[] = [];
  for (const roundTripMs of settings.roundTrips) {
    const raw: number[] = [];
    const yamux: { mibps: number; window: number }[] = [];
    for (let i = 0; i < settings.repeats; i++) {
      raw.push(await rawTransfer(roundTripMs / 2, settings.bytes));
      yamux.push(await yamuxTransfer(roundTripMs / 2, settings.bytes));
    }
    raw.sort((a, b) => a - b);
    yamux.sort((a, b) => a.mibps - b.mibps);
    const median = yamux[yamux.length >> 1]!;
    results.push({
      roundTripMs,
      rawMiBps: raw[raw.length >> 1]!,
      yamuxMiBps: median.mibps,
      yamuxWindow: median.window,
    });
  }
  return results;
}

export function formatLongPath(settings: LongPathSettings, results: readonly LongPathResult[]): string[] {
  return [
    "",
    `== One stream of ${settings.bytes / block} MiB over a long path (a relay that delays each chunk), median of ${settings.repeats} ==`,
    "round trip  raw node:net socket  yamux stream (default options)  yamux window at the end",
    ...results.map(
      (r) =>
        `${`${r.roundTripMs} ms`.padEnd(10)}  ${`${r.rawMiBps.toFixed(0)} MiB/s`.padEnd(19)}  ` +
        `${`${r.yamuxMiBps.toFixed(0)} MiB/s`.padEnd(30)}  ${r.yamuxWindow / block} MiB`,
    ),
    "A fixed 256 KiB window (yamux's initial one) would cap the stream at 256 KiB per round trip: " +
      results.map((r) => `${(250 / r.roundTripMs).toFixed(1)} MiB/s at ${r.roundTripMs} ms`).join(", ") + ".",
  ];
}

async function rawTransfer(latency: number, bytes: number): Promise<number> {
  const [clientSocket, serverSocket] = await delayedSocketPair(latency);
  try {
    const start = performance.now();
    let received = 0;
    const done = new Promise<void>((resolve) =>
      serverSocket.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received >= bytes) {
          resolve();
        }
      }),
    );
    const data = new Uint8Array(block);
    for (let sent = 0; sent < bytes; sent += block) {
      if (!clientSocket.write(data)) {
        await once(clientSocket, "drain");
      }
    }
    await done;
    return mibps(bytes, start);
  } finally {
    clientSocket.destroy();
    serverSocket.destroy();
  }
}

async function yamuxTransfer(latency: number, bytes: number): Promise<{ mibps: number; window: number }> {
  const [clientSocket, serverSocket] = await delayedSocketPair(latency);
  const client = new YamuxSession(new SocketChannel(clientSocket), "client", { keepAliveInterval: 0 });
  const server = new YamuxSession(new SocketChannel(serverSocket), "server", { keepAliveInterval: 0 });
  try {
    const start = performance.now();
    const sending = (async () => {
      const stream = await client.openStream();
      const data = new Uint8Array(block);
      for (let sent = 0; sent < bytes; sent += block) {
        await stream.write(data);
      }
      await stream.end();
    })();
    const stream = await server.acceptStream();
    let received = 0;
    for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
      received += chunk.length;
    }
    await sending;
    if (received !== bytes) {
      throw new Error(`The yamux stream delivered ${received} bytes, not ${bytes}.`);
    }
    return { mibps: mibps(bytes, start), window: stream.receiveWindow };
  } finally {
    client.dispose();
    server.dispose();
  }
}

function mibps(bytes: number, start: number): number {
  return bytes / block / ((performance.now() - start) / 1000);
}
