/** A typed key of a {@link FeatureCollection}; create one per feature with {@link featureKey}. */
export interface FeatureKey<T> {
  readonly name: string;
  /** Phantom member: carries `T` for type inference, never set. */
  readonly __type?: T;
}

export function featureKey<T>(name: string): FeatureKey<T> {
  return Object.freeze({ name });
}

/**
 * Per-request values that interceptors, middleware and applications share without the request knowing their types
 * (deadline, compression, request context, server address...). IceRPC's `IFeatureCollection`.
 */
export class FeatureCollection {
  // Created on first set: most requests never carry a feature, and each request has a collection.
  #features: Map<FeatureKey<unknown>, unknown> | undefined;

  get<T>(key: FeatureKey<T>): T | undefined {
    return this.#features?.get(key) as T | undefined;
  }

  /** Sets `key` to `value`, or removes it when `value` is undefined. */
  set<T>(key: FeatureKey<T>, value: T | undefined): this {
    if (value === undefined) {
      this.#features?.delete(key);
    } else {
      (this.#features ??= new Map()).set(key, value);
    }
    return this;
  }
}
