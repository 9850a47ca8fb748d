import { describe, expect, test } from "@jest/globals";

import { CreditStreamOutput } from "../../src/transport-helpers/credit-stream-output.js";

/** An output that records what it sends, with a chunk limit and a switchable backpressure. */
class RecordingOutput extends CreditStreamOutput {
  readonly sent: string[] = [];
  blocked: Promise<void> | undefined;
  readonly #maxChunkSize: number;

  constructor(credit: number, maxChunkSize: number) {
    super(credit, () => this.sent.push("done"));
    this.#maxChunkSize = maxChunkSize;
  }

  protected override get maxChunkSize(): number {
    return this.#maxChunkSize;
  }

  protected override sendChunk(chunk: Uint8Array | undefined, end: boolean): void {
    if (chunk !== undefined) {
      this.sent.push(String(chunk.length));
    }
    if (end) {
      this.sent.push("end");
    }
  }

  protected override sendAbort(): void {
    this.sent.push("abort");
  }

  protected override whenWritable(): Promise<void> | undefined {
    return this.blocked;
  }
}

/** True when `promise` is still pending after the microtasks queued so far ran. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol("pending");
  return (await Promise.race([promise, new Promise((resolve) => setImmediate(resolve, marker))])) === marker;
}

describe("CreditStreamOutput", () => {
  test("sends chunks of at most the credit and the chunk limit, and waits for credit", async () => {
    const output = new RecordingOutput(10, 4);
    output.write(new Uint8Array(12));
    const flushing = output.flush();
    expect(await isPending(flushing)).toBe(true);
    expect(output.sent).toEqual(["4", "4", "2"]);
    output.addCredit(5);
    expect(await flushing).toBe("flushed");
    expect(output.sent).toEqual(["4", "4", "2", "2"]);
    expect(output.credit).toBe(3);
    expect(await output.end()).toBe("flushed");
    expect(output.sent).toEqual(["4", "4", "2", "2", "end", "done"]);
  });

  test("the end leaves with the last chunk", async () => {
    const output = new RecordingOutput(100, 100);
    output.write(new Uint8Array(3));
    expect(await output.end()).toBe("flushed");
    expect(output.sent).toEqual(["3", "end", "done"]);
  });

  test("waits while the transport pushes back, though credit is left", async () => {
    const output = new RecordingOutput(100, 100);
    let unblock!: () => void;
    output.blocked = new Promise<void>((resolve) => (unblock = resolve));
    output.write(new Uint8Array(5));
    const flushing = output.flush();
    expect(await isPending(flushing)).toBe(true);
    expect(output.sent).toEqual([]);
    output.blocked = undefined;
    unblock();
    expect(await flushing).toBe("flushed");
    expect(output.sent).toEqual(["5"]);
  });

  test("the peer stopping reading discards the unflushed bytes and closes the writes", async () => {
    const output = new RecordingOutput(0, 100);
    output.write(new Uint8Array(5));
    const flushing = output.flush();
    output.peerStoppedReading();
    expect(await flushing).toBe("writesClosed");
    expect(output.unflushedBytes).toBe(0);
    expect(output.sent).toEqual(["done"]);
    await output.writesClosed;
  });

  test("abort tells the peer unless the connection failed; a failure rejects the pending flush", async () => {
    const aborted = new RecordingOutput(100, 100);
    aborted.abort();
    expect(aborted.sent).toEqual(["abort", "done"]);

    const failed = new RecordingOutput(0, 100);
    failed.write(new Uint8Array(1));
    const flushing = failed.flush();
    const error = new Error("lost");
    failed.fail(() => error);
    await expect(flushing).rejects.toBe(error);
    failed.abort();
    expect(failed.sent).toEqual([]);
  });
});
