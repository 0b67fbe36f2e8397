/**
 * Warnings the user should see once per process, not once per call (a deprecated input shape in a
 * training loop would otherwise print on every step) — as Python's warnings module does by default.
 */
const warned = new Set<string>();

export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}

/** Forget that `key` was shown, so a test can see the warning again. */
export function resetWarning(key: string): void {
  warned.delete(key);
}
