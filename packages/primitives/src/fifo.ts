/**
 * A first-in first-out queue with O(1) `shift`: `Array.prototype.shift` moves every element, which turns a queue of
 * thousands of waiters (blocked stream creations, say) quadratic.
 */
export class Fifo<T> {
  #items: Array<T | undefined> = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.#head === this.#items.length) {
      return undefined;
    }
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      // Drop the consumed prefix once it is most of the array, so memory follows the queue's size.
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes `item` wherever it is (a waiter that gave up); O(n), which is fine for the rare cancellation. */
  remove(item: T): void {
    const index = this.#items.indexOf(item, this.#head);
    if (index >= 0) {
      this.#items.splice(index, 1);
    }
  }

  /** True when `predicate` holds for an item. */
  some(predicate: (item: T) => boolean): boolean {
    for (let i = this.#head; i < this.#items.length; ++i) {
      if (predicate(this.#items[i] as T)) {
        return true;
      }
    }
    return false;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return items;
  }
}
