import { expect, test } from "@jest/globals";
import type { FlushResult, MultiplexedStream, StreamInput } from "@icerpc-ts/core/transport";

import { fillPattern, patternBytes, patternMismatch } from "./byte-pattern.js";
import type { LocalAndRemoteStreams } from "./client-server-connection.js";
import type { ConformanceFixture } from "./conformance-fixture.js";
import { yieldToEventLoop } from "./event-loop.js";
import { handledLater } from "./operation-outcomes.js";
import { readAll } from "./read-all.js";

const KiB = 1024;
const MiB = 1024 * KiB;

/** Declares the stream tests about the bytes a stream carries: writing, flushing, ending, reading, flow control. */
export function declareStreamDataTests(fixture: ConformanceFixture): void {
  test("Complete stream output after write does not discard data", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    const size = 512 * KiB;
    const writing = handledLater(
      (async () => {
        local.output.write(patternBytes(0, 0, size));
        await local.output.flush();
        return local.output.end();
      })(),
    );
    const received = await readAll(remote.input);
    expect(await writing).toBe("flushed");
    expect(received.length).toBe(size);
    expect(patternMismatch(received, 0, 0)).toBeUndefined();
  });

  // Replaces the C# case of that name, where completing an output that has unflushed bytes throws: in this
  // contract, end() sends the unflushed bytes before the end of stream.
  test("Complete stream with unflushed bytes fails", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    local.output.write(patternBytes(0, 0, 4 * KiB));
    expect(local.output.unflushedBytes).toBe(4 * KiB);
    const ending = handledLater(local.output.end());
    const received = await readAll(remote.input);
    expect(await ending).toBe("flushed");
    expect(local.output.unflushedBytes).toBe(0);
    expect(received.length).toBe(4 * KiB);
    expect(patternMismatch(received, 0, 0)).toBeUndefined();
  });

  // Replaces the C# type check that the output is a ReadOnlySequencePipeWriter, whose point is writing several
  // buffers and the end of stream in one call: here, buffers written one after another and then end() all arrive,
  // in order, followed by the end of stream.
  test("Stream output is a readonly sequence pipe writer", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream({ bidirectional: false });
    const sizes = [100, 1000, 10];
    let offset = 0;
    for (const size of sizes) {
      local.output.write(patternBytes(0, offset, size));
      offset += size;
    }
    expect(local.output.unflushedBytes).toBe(offset);
    const ending = handledLater(local.output.end());
    const received = await readAll(remote.input);
    expect(await ending).toBe("flushed");
    expect(received.length).toBe(offset);
    expect(patternMismatch(received, 0, 0)).toBeUndefined();
  });

  test("Stream output can report unflushed bytes", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream({ bidirectional: false });
    local.output.write(Uint8Array.of(1, 2, 3));
    expect(local.output.unflushedBytes).toBe(3);
    expect(await local.output.flush()).toBe("flushed");
    expect(local.output.unflushedBytes).toBe(0);
    await local.output.end();
    expect(Array.from(await readAll(remote.input))).toEqual([1, 2, 3]);
  });

  // The C# case delays reads and writes by 0 or 5 ms; yielding to the event loop (or not) between operations
  // varies the interleaving in the same way without depending on time.
  for (const yielding of [false, true]) {
    for (const streamCount of [1, 16]) {
      for (const segments of [1, 32]) {
        for (const payloadSize of [1, 16 * KiB]) {
          const name =
            `Stream full duplex communication (${yielding ? "yielding" : "not yielding"}, ${streamCount} ` +
            `stream(s), ${segments} segment(s) of ${payloadSize} byte(s))`;
          test(
            name,
            async () => {
              const sut = await fixture.connect();
              const streams: LocalAndRemoteStreams[] = [];
              for (let i = 0; i < streamCount; i++) {
                streams.push(await sut.createAndAcceptStream());
              }
              const size = segments * payloadSize;
              // Each direction of each stream carries data of its own (its seed).
              await Promise.all(
                streams.flatMap(({ local, remote }, i) => [
                  writeSegments(local, 2 * i, segments, payloadSize, yielding),
                  readAndCheck(remote, 2 * i, size, yielding),
                  writeSegments(remote, 2 * i + 1, segments, payloadSize, yielding),
                  readAndCheck(local, 2 * i + 1, size, yielding),
                ]),
              );
            },
            30_000,
          );
        }
      }
    }
  }

  // Replaces the C# case that examines data without consuming it, which the read API has no equivalent for: the
  // reader here keeps every chunk read returned (they belong to it) and looks at them only at the end, yielding
  // between reads. Flow control must still let the whole stream through, and the kept chunks must stay intact.
  for (const segments of [64, 256]) {
    for (const payloadSize of [1 * KiB, 8 * KiB]) {
      test(`Stream read examine data without consuming (${segments} segments of ${payloadSize} bytes)`, async () => {
        const sut = await fixture.connect();
        const { local, remote } = await sut.createAndAcceptStream();
        await remote.output.end();
        const writing = handledLater(writeSegments(local, 0, segments, payloadSize, true));
        const received = await readAll(remote.input, { yieldBetweenReads: true });
        await writing;
        expect(received.length).toBe(segments * payloadSize);
        expect(patternMismatch(received, 0, 0)).toBeUndefined();
      });
    }
  }

  test("Stream write empty buffer is noop", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    local.output.write(new Uint8Array(0));
    expect(local.output.unflushedBytes).toBe(0);
    expect(await local.output.flush()).toBe("flushed");
    // Nothing was sent, not even an empty chunk: the peer's read waits.
    const reading = remote.input.read();
    await fixture.expectPending(reading);
    local.output.write(Uint8Array.of(0xab));
    expect(await local.output.end()).toBe("flushed");
    expect(Array.from((await reading) ?? [])).toEqual([0xab]);
    expect(await remote.input.read()).toBeNull();
  });

  const writeCases: readonly { buffered: number; written: readonly number[] }[] = [
    { buffered: 0, written: [] },
    { buffered: 0, written: [1 * KiB] },
    { buffered: 0, written: [2 * KiB, 3 * KiB] },
    { buffered: 1 * KiB, written: [1 * KiB] },
    { buffered: 2 * KiB, written: [3 * KiB] },
    { buffered: 8 * KiB, written: [1 * KiB] },
  ];
  // In C#, `buffered` bytes are written to the pipe writer and then `written` is sent as one sequence; here they are
  // all written, then flushed, then the output is ended.
  for (const { buffered, written } of writeCases) {
    test(`Stream write (${buffered} bytes buffered, then writes of [${written.join(", ")}] bytes)`, async () => {
      const sut = await fixture.connect();
      const { local, remote } = await sut.createAndAcceptStream();
      const reading = handledLater(readAll(remote.input));
      let offset = 0;
      for (const size of [buffered, ...written]) {
        local.output.write(patternBytes(0, offset, size));
        offset += size;
      }
      expect(await local.output.flush()).toBe("flushed");
      expect(await local.output.end()).toBe("flushed");
      const received = await reading;
      expect(received.length).toBe(offset);
      expect(patternMismatch(received, 0, 0)).toBeUndefined();
    });
  }

  test(
    "a writer that outruns its reader is paused with memory bounded and resumes without stalling",
    async () => {
      const totalBytes = 64 * MiB;
      const chunkSize = 64 * KiB;
      const maxBytesBeforePause = 16 * MiB;
      // What the writer got through, plus as much again should the transport copy it twice.
      const maxMemoryGrowth = 2 * maxBytesBeforePause;
      const seed = 7;
      const sut = await fixture.connect();
      const { local, remote } = await sut.createAndAcceptStream();
      // One chunk, refilled with the next bytes once its flush settled, which the contract allows: a transport that
      // still referenced it afterwards would deliver wrong bytes.
      const chunk = new Uint8Array(chunkSize);
      let flushedBytes = 0;
      const memoryBefore = process.memoryUsage().arrayBuffers;

      // Nobody reads yet: the writer must pause.
      let pausedFlush: Promise<FlushResult> | undefined;
      while (pausedFlush === undefined) {
        if (flushedBytes > maxBytesBeforePause) {
          throw new Error(
            `The writer flushed ${flushedBytes} bytes that nobody read without being paused; flow control must ` +
              `pause it within ${maxBytesBeforePause} bytes.`,
          );
        }
        local.output.write(fillPattern(chunk, seed, flushedBytes));
        const flush = local.output.flush();
        if (await fixture.isPending(flush)) {
          pausedFlush = flush;
        } else {
          expect(await flush).toBe("flushed");
          flushedBytes += chunkSize;
        }
      }
      expect(process.memoryUsage().arrayBuffers - memoryBefore).toBeLessThanOrEqual(maxMemoryGrowth);

      // The reader reads everything; the writer resumes and finishes.
      const reading = handledLater(readCheckingPattern(remote.input, seed));
      expect(await pausedFlush).toBe("flushed");
      flushedBytes += chunkSize;
      while (flushedBytes < totalBytes) {
        local.output.write(fillPattern(chunk, seed, flushedBytes));
        expect(await local.output.flush()).toBe("flushed");
        flushedBytes += chunkSize;
      }
      expect(await local.output.end()).toBe("flushed");
      expect(await reading).toBe(totalBytes);
    },
    120_000,
  );
}

/**
 * Writes `segments` flushed segments of `payloadSize` bytes (the pattern of `seed`), then ends the output. Every
 * flush must report "flushed": the reader never stops reading.
 */
async function writeSegments(
  stream: MultiplexedStream,
  seed: number,
  segments: number,
  payloadSize: number,
  yielding: boolean,
): Promise<void> {
  for (let i = 0; i < segments; i++) {
    if (yielding) {
      await yieldToEventLoop();
    }
    stream.output.write(patternBytes(seed, i * payloadSize, payloadSize));
    expect(await stream.output.flush()).toBe("flushed");
  }
  expect(await stream.output.end()).toBe("flushed");
}

/** Reads `stream` to its end and checks it received exactly `size` bytes of the pattern of `seed`. */
async function readAndCheck(stream: MultiplexedStream, seed: number, size: number, yielding: boolean): Promise<void> {
  const received = await readAll(stream.input, { yieldBetweenReads: yielding });
  expect(received.length).toBe(size);
  expect(patternMismatch(received, seed, 0)).toBeUndefined();
}

/** Reads `input` to its end, checking each chunk against the pattern of `seed` on arrival; returns the byte count. */
async function readCheckingPattern(input: StreamInput, seed: number): Promise<number> {
  let offset = 0;
  for (let chunk = await input.read(); chunk !== null; chunk = await input.read()) {
    const mismatch = patternMismatch(chunk, seed, offset);
    if (mismatch !== undefined) {
      throw new Error(`The reader received wrong data: ${mismatch}.`);
    }
    offset += chunk.length;
  }
  return offset;
}
