// Change detection: observers poll many times a second, but the journal records only what changed
// (and each key's first value), so a quiet hour costs nothing and every line is a transition.

export class Changes {
  private readonly last = new Map<string, string>();

  /** Remember the value; true when it is the key's first value or differs from the last one. */
  update(key: string, value: string): boolean {
    if (this.last.get(key) === value) return false;
    this.last.set(key, value);
    return true;
  }

  /** A copy of the latest value per key. */
  snapshot(): Map<string, string> {
    return new Map(this.last);
  }
}
