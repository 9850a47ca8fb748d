/**
 * Lets every pending I/O and timer callback run before going on. Tests use it to interleave readers and writers
 * differently (it replaces the C# suite's short `Task.Delay`s and `Task.Yield`s), never to wait for something to
 * happen.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
