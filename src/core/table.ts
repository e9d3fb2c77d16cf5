/**
 * A lookup table keyed by names that come from the document. A plain object
 * literal answers `constructor`, `toString` or `__proto__` from Object.prototype
 * (a variable named `constructor` printed as `function Object() …`); this one
 * has no prototype, so only its own entries answer.
 */
export function nameTable<T extends object>(entries: T): T {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}
