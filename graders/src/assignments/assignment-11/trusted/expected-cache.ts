/**
 * The reference side of a check (forward passes, finite differences, reference gradients) depends
 * only on the case, and the cases depend only on the seed: every submission of a run sees the same
 * ones. So each expected value is computed once per case and kept for the next submissions.
 */
/** `compute` done once per case object (the sampled cases are shared by all submissions). */
export function perCase<C extends object, T>(compute: (testCase: C) => T): (testCase: C) => T {
  const made = new WeakMap<C, T>();
  return (testCase) => {
    let value = made.get(testCase);
    if (value === undefined) made.set(testCase, (value = compute(testCase)));
    return value;
  };
}

export class ExpectedCache<T> {
  private readonly values = new Map<string, T>();
  private readonly byCase = new WeakMap<object, T>();

  /** @param limit entries kept by key; beyond it the oldest go (shrinking adds cases of its own) */
  constructor(private readonly limit = 20_000) {}

  /**
   * The expected value for `testCase`: found by the case object itself (the sampled cases are
   * shared by all submissions), else by `key()` (a text that identifies the case's content).
   */
  get(testCase: object, key: () => string, compute: () => T): T {
    const byObject = this.byCase.get(testCase);
    if (byObject !== undefined) return byObject;
    const value = this.byKey(key(), compute);
    this.byCase.set(testCase, value);
    return value;
  }

  private byKey(key: string, compute: () => T): T {
    const known = this.values.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.values.size >= this.limit) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, value);
    return value;
  }
}
