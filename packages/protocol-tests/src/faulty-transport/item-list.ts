import { Deferred } from "@icerpc-ts/primitives";

/**
 * The connections or streams a decorator produced, in order, with a way to wait for the next ones: tests ask for
 * "the second stream the server accepts" before it exists.
 */
export class ItemList<T> implements Iterable<T> {
  readonly #what: string;
  readonly #items: T[] = [];
  readonly #waiters = new Map<number, Deferred<T>>();

  /** @param what names an item in error messages, e.g. "accepted stream". */
  constructor(what: string) {
    this.#what = what;
  }

  get length(): number {
    return this.#items.length;
  }

  /** The most recent item; throws if there is none yet. */
  get last(): T {
    const item = this.#items.at(-1);
    if (item === undefined) {
      throw new Error(`There is no ${this.#what} yet: wait for one with at(index).`);
    }
    return item;
  }

  /** The item at `index` (0 is the first), once it exists. */
  at(index: number): Promise<T> {
    const item = this.#items[index];
    if (item !== undefined) {
      return Promise.resolve(item);
    }
    let waiter = this.#waiters.get(index);
    if (waiter === undefined) {
      waiter = new Deferred<T>();
      this.#waiters.set(index, waiter);
    }
    return waiter.promise;
  }

  /** Appends `item`, wakes whoever waits for it, and returns it. */
  add(item: T): T {
    const index = this.#items.push(item) - 1;
    this.#waiters.get(index)?.resolve(item);
    this.#waiters.delete(index);
    return item;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]();
  }
}
