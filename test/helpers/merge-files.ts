/** For the specs of `--shard` and `dropgrad merge`: shard reports written to files, a merge's refusal, a command's refusals of its flags. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { type CommandSpec, parseFlags } from '../../app/cli/args';
import { expect } from 'chai';
import type { Flags } from '../../app/flags/flag-spec';
import type { Environment } from '../../app/cli/shard-flags';
import { type BufferIO, bufferIO, runCli } from './buffer-io';

export interface MergeFiles {
  /** Writes each value (a string as it is, else as JSON) into the temp dir under its name; the paths, in order. */
  files: (entries: Record<string, unknown>) => string[];
  /** `dropgrad merge --json PATHS`, which must fail with nothing on stdout: its stderr, with the temp dir left out of the paths. */
  mergeError: (paths: string[]) => Promise<string>;
}

/** @param tempDir the spec's temporary directory (helpers/data-files.ts's useTempDir) */
export function mergeFiles(tempDir: () => string): MergeFiles {
  return {
    files: (entries) =>
      Object.entries(entries).map(([name, value]) => {
        const path = join(tempDir(), name);
        writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
        return path;
      }),
    async mergeError(paths) {
      const { code, out, err } = await runCli('merge', '--json', ...paths);
      expect(out, 'nothing on stdout').to.equal('');
      expect(code).to.equal(1);
      return err.replaceAll(`${tempDir()}/`, '');
    },
  };
}

/**
 * Checks that `run` (the function of the command `spec`) refuses each case's flags, in the
 * scheduler environment given, with a UsageError containing its message, having written nothing:
 * the flags are checked before the data is read (here a directory that does not exist) or a run starts.
 */
export async function expectRefusedBeforeWork(
  spec: CommandSpec,
  run: (flags: Flags, io: BufferIO, env: Environment) => Promise<number>,
  cases: ReadonlyArray<[string[], Environment, string]>,
): Promise<void> {
  const missing = ['--data', join(tmpdir(), `dropgrad-no-such-dir-${process.pid}`)];
  for (const [args, env, expected] of cases) {
    const io = bufferIO();
    let message = '';
    await run(parseFlags(spec, [...missing, ...args]), io, env).catch((e: Error) => (message = `${e.name}: ${e.message}`));
    expect(message, args.join(' ')).to.contain(`UsageError: ${expected}`);
    expect(io.stdout() + io.stderr(), args.join(' ')).to.equal('');
  }
}
