/**
 * A command's flags from its command line: node:util's parseArgs in strict mode (unknown flags are
 * errors), with the errors rewritten to say what was expected, and generated --help text. Values
 * are checked and typed by app/flags/flag-values.ts.
 */
import { parseArgs } from 'node:util';
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';

export interface CommandSpec {
  name: string;
  summary: string;
  flags: FlagSpecs;
  /** A paragraph after the flags in --help (e.g. where the data comes from). */
  notes?: string;
  /** The arguments after the flags (`merge A.json B.json …`); a command without takes none. */
  operands?: { value: string; description: string };
  /** How it is typed, when not as `dropgrad <name>` (`npm run results --`). */
  invocation?: string;
}

export function helpText(command: CommandSpec): string {
  const rows = Object.entries(command.flags).map(([name, spec]) => {
    const left = `  --${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    const def = spec.default !== undefined ? ` (default ${spec.default})` : '';
    return `${left.padEnd(30)} ${spec.description}${def}`;
  });
  const notes = command.notes !== undefined ? ['', command.notes] : [];
  const operands = command.operands !== undefined ? ['', `${command.operands.value}: ${command.operands.description}`] : [];
  return [
    `Usage: ${command.invocation ?? `dropgrad ${command.name}`} [flags]${command.operands !== undefined ? ` ${command.operands.value}` : ''}`,
    '',
    command.summary,
    ...operands,
    '',
    'Flags:',
    ...rows,
    `  ${'--help'.padEnd(28)} show this help`,
    ...notes,
  ].join('\n');
}

/**
 * `--lr -1` as `--lr=-1`: parseArgs refuses a value that starts with a dash as "ambiguous", but a
 * negative number must reach the flag's own range check. A `--flag` there is a forgotten value.
 */
function joinDashValues(command: CommandSpec, args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    const takesValue = name !== undefined && Object.hasOwn(command.flags, name) && command.flags[name].type === 'string';
    if (takesValue && next?.startsWith('--'))
      throw new UsageError(`--${name}: expected ${command.flags[name].value ?? 'a value'}, got the flag ${next}`);
    if (takesValue && next?.startsWith('-')) {
      joined.push(`${args[i]}=${next}`);
      i++;
    } else {
      joined.push(args[i]);
    }
  }
  return joined;
}

type ParsedToken = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** parseArgs keeps the last of a repeated flag: `--epochs 2 --epochs 3` would train 3 epochs without a word. */
function refuseRepeatedFlags(tokens: readonly ParsedToken[]): void {
  const seen = new Map<string, string | undefined>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) {
      const first = seen.get(token.name);
      const values =
        first !== undefined && token.value !== undefined ? ` (${JSON.stringify(first)} and ${JSON.stringify(token.value)})` : '';
      throw new UsageError(`--${token.name}: given twice${values}; give it once`);
    }
    seen.set(token.name, token.value);
  }
}

export interface CommandLine {
  flags: Flags & { help?: boolean };
  /** The arguments that are not flags, in order (only a command with `operands` takes any). */
  operands: string[];
}

/** The flags and the operands of a command's arguments. */
export function parseCommandLine(command: CommandSpec, args: readonly string[]): CommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(command.flags))
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  try {
    const { values, positionals, tokens } = parseArgs({
      args: joinDashValues(command, args),
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    refuseRepeatedFlags(tokens);
    if (positionals.length > 0 && command.operands === undefined)
      throw new UsageError(`${command.name}: unexpected argument ${JSON.stringify(positionals[0])} (flags start with --)`);
    const flags: Flags = {};
    for (const [name, spec] of Object.entries(command.flags)) flags[name] = (values[name] as string | boolean | undefined) ?? spec.default;
    return { flags: { ...flags, help: values.help as boolean | undefined }, operands: positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    const known = Object.keys(command.flags)
      .map((f) => `--${f}`)
      .join(', ');
    const problem = unknown ? `unknown flag ${unknown[1]}; expected one of ${known}` : message.split('. ')[0];
    throw new UsageError(`${command.name}: ${problem} (see --help)`);
  }
}

/** The flags of a command that takes no operands. */
export const parseFlags = (command: CommandSpec, args: readonly string[]): Flags & { help?: boolean } =>
  parseCommandLine(command, args).flags;
