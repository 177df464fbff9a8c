// Change detection: observers poll many times a second, but the journal records only what changed
// (and each key's first value), so a quiet hour costs nothing and every line is a transition.

export class Changes {
  private readonly last = new Map<string, { value: string; detail: string | undefined }>();

  /**
   * Remember the value; true when it is the key's first value or differs from the last one. A
   * detail (a primary's epoch) counts as a change too, but is not part of the value.
   */
  update(key: string, value: string, detail?: string): boolean {
    const was = this.last.get(key);
    if (was && was.value === value && was.detail === detail) return false;
    this.last.set(key, { value, detail });
    return true;
  }

  /** The latest value of a key. */
  get(key: string): string | undefined {
    return this.last.get(key)?.value;
  }

  /** A copy of the latest value per key. */
  snapshot(): Map<string, string> {
    return new Map([...this.last].map(([k, v]) => [k, v.value]));
  }
}
