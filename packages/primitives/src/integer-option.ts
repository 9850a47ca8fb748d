/**
 * Throws a `RangeError` naming option `name` unless `value` is an integer from `min` to `max` (by default, any safe
 * integer from `min`). Options come from application code, possibly plain JavaScript: a typo must fail loudly.
 */
export function checkIntegerOption(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new RangeError(`Invalid ${name} ${value}: it must be an integer ${range}.`);
  }
}
