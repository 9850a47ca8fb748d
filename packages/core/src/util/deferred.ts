/** A promise with its resolve and reject functions (Node 20 lacks `Promise.withResolvers`). */
export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T | PromiseLike<T>) => void;
  reject!: (reason: unknown) => void;
  #settled = false;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = (value) => {
        this.#settled = true;
        resolve(value);
      };
      this.reject = (reason) => {
        this.#settled = true;
        reject(reason);
      };
    });
  }

  get settled(): boolean {
    return this.#settled;
  }
}
