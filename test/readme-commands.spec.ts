import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/buffer-io';

/**
 * The README's command table against `dropgrad --help`: every command is a row, every row is a
 * command, and every flag the table names is one its command accepts. docs/cli.md must have a
 * section for each command too.
 */
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const cliPage = readFileSync(join(__dirname, '..', 'docs', 'cli.md'), 'utf8');

/** The table's rows: the command cell's backticked text, e.g. "gradcheck [--layer NAME] [--json]". */
function commandTableCells(page: string): string[] {
  const lines = page.split('\n');
  const header = lines.indexOf('| command | what it does |');
  expect(header, "README.md's command table").to.be.greaterThan(-1);
  const rows = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(/^\| `([^`]+)`/.exec(line)?.[1] ?? line);
  }
  return rows;
}

/** The command names `dropgrad --help` lists. */
async function helpCommands(): Promise<string[]> {
  const overview = (await runCli('--help')).out;
  return overview
    .slice(overview.indexOf('Commands:'))
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim().split(/\s+/)[0]!);
}

describe("README's command table", () => {
  it('has one row per command of dropgrad --help, in its order', async () => {
    const names = commandTableCells(readme).map((cell) => cell.split(' ')[0]);
    expect(names).to.deep.equal(await helpCommands());
  });

  it('names only flags that its command accepts', async () => {
    for (const cell of commandTableCells(readme)) {
      const [name] = cell.split(' ');
      const help = (await runCli(name!, '--help')).out;
      for (const flag of cell.match(/--[a-z][a-z-]*/g) ?? []) expect(help, `${name} ${flag}`).to.contain(`${flag} `);
    }
  });

  it('has a section for every command in docs/cli.md', async () => {
    for (const name of await helpCommands()) expect(cliPage, name).to.contain(`## \`dropgrad ${name}\``);
  });
});
