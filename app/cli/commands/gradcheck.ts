/** `dropgrad gradcheck`: the gradient-check suite, one line per op/layer, non-zero exit on failure. */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { parseChoice } from '../../flags/flag-values';
import type { CliIO } from '../io';
import type { GradcheckOrder } from '../../gradcheck-suite/check';
import type { SuiteResult } from '../../gradcheck-suite/run-checks';
import { gradcheckSuite, runGradcheckSuite } from '../../gradcheck-suite/suite';

export const gradcheckSpec: CommandSpec = {
  name: 'gradcheck',
  summary:
    'Check every built-in op and layer (every drop technique in training mode, with a fixed seed) against central finite differences in float64 (eps 1e-6, atol 1e-5, rtol 1e-3).',
  flags: {
    layer: { type: 'string', value: 'NAME', description: 'only the checks whose name contains NAME (case-insensitive)' },
    order: {
      type: 'string',
      value: 'N',
      description: '1: first derivatives (gradcheck); 2: second derivatives (gradgradcheck, as PyTorch checks its ops)',
      default: '1',
    },
    json: { type: 'boolean', description: 'print one JSON document instead of a table' },
    list: { type: 'boolean', description: 'list the check names and exit' },
  },
};

function row(r: SuiteResult): string {
  return `${r.passed ? 'PASS' : 'FAIL'}  ${r.name.padEnd(46)} ${r.shapes.padEnd(34)} abs ${r.maxAbsError.toExponential(2)}  rel ${r.maxRelError.toExponential(2)}`;
}

export function runGradcheck(flags: Flags, io: CliIO): number {
  const order = Number(parseChoice('order', String(flags.order), ['1', '2'])) as GradcheckOrder;
  if (flags.list) {
    io.out.write(`${gradcheckSuite.map((c) => c.name).join('\n')}\n`);
    return 0;
  }
  const filter = (flags.layer as string | undefined) ?? '';
  const json = flags.json === true;
  const results = runGradcheckSuite(filter, json ? undefined : (r) => io.out.write(`${row(r)}\n`), order);
  if (results.length === 0) {
    io.err.write(`dropgrad gradcheck: no check matches --layer ${JSON.stringify(filter)} (see --list)\n`);
    return 2;
  }
  const failed = results.filter((r) => !r.passed);
  if (json) {
    io.out.write(`${JSON.stringify({ order, passed: failed.length === 0, checks: results }, null, 2)}\n`);
  } else {
    for (const f of failed) io.out.write(`\n${f.name}: ${f.message}\n`);
    io.out.write(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
  }
  return failed.length === 0 ? 0 : 1;
}
