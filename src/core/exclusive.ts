// A union whose members are told apart by which key they have (a probe's `http` or `sql`, a step's
// `fault` or `wait`): each member forbids the others' keys, so an object literal that mixes two
// members, or misspells a field, is a compile error rather than a union member's excess field.
export type Exclusive<U, K extends PropertyKey> = U extends unknown ? U & { [P in Exclude<K, keyof U>]?: never } : never;
