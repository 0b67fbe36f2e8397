/**
 * What a command-line flag is, as a command declares it (its --help line) and as parsing gives it
 * back. It sits below the CLI so that the table of drop techniques and the experiments can say a
 * run's settings in the flags users type without standing on the CLI.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Shown in --help. */
  description: string;
  /** Placeholder for the value in --help, e.g. 'P' or 'KEEP:SIZE'. */
  value?: string;
  default?: string;
  short?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type Flags = Record<string, string | boolean | undefined>;
