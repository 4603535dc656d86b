/**
 * An intersection as one object type, modifiers and doc comments kept: a kind's normalised
 * config reads `{ kind; timeoutMs; alertOnly; path; ... }` in messages and hovers, not `A & B`.
 */
export type Flatten<T> = { [P in keyof T]: T[P] } & {};
