/**
 * The reference side of a check (forward passes, finite differences, reference gradients) depends
 * only on the case, and the cases depend only on the seed: every submission of a run sees the same
 * ones. So each expected value is computed once per case and kept for the next submissions.
 */
export class ExpectedCache<T> {
  private readonly values = new Map<string, T>();

  /** @param limit entries kept; beyond it the oldest go (shrinking adds cases of its own) */
  constructor(private readonly limit = 20_000) {}

  get(key: string, compute: () => T): T {
    const known = this.values.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.values.size >= this.limit) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, value);
    return value;
  }
}
