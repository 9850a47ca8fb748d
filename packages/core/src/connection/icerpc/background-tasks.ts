/**
 * The tasks an icerpc connection runs without awaiting them (dispatches, request payload continuations), kept so that
 * dispose can wait for them to finish.
 */
export class BackgroundTasks {
  readonly #tasks = new Set<Promise<unknown>>();

  /** Keeps `task` until it settles; `onSettled` then runs too (no `finally` promise per task). */
  run(task: Promise<unknown>, onSettled?: () => void): void {
    this.#tasks.add(task);
    const forget = (): void => {
      this.#tasks.delete(task);
      onSettled?.();
    };
    task.then(forget, forget);
  }

  /** Settles once every task running now has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#tasks);
  }
}
