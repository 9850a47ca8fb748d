import { abortable } from "@icerpc-ts/primitives";

/** The delay before retry number `retry` (1 for the first): exponential, capped, with "equal jitter" in [d/2, d]. */
export function backoffDelay(retry: number, initialDelay: number, maxDelay: number): number {
  const delay = Math.min(maxDelay, initialDelay * 2 ** (retry - 1));
  return delay / 2 + Math.random() * (delay / 2);
}

/** Waits `milliseconds`, or rejects with `signal.reason` when it aborts first. */
export function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return abortable<void>(
    signal,
    (resolve) => {
      timer = setTimeout(resolve, milliseconds);
    },
    () => clearTimeout(timer),
  );
}
