/** A mistake in what the user asked for (a flag, its value, a mix of flags): the CLI prints it as one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
