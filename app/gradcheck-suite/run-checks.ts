/** Running checks on the reference kernels, one result each as it comes. */
import { withBackend } from '../../kernels/backend';
import { formatValue } from '../../base/shape';
import type { GradcheckOrder, SuiteCheck } from './check';

export interface SuiteResult {
  name: string;
  shapes: string;
  maxAbsError: number;
  maxRelError: number;
  passed: boolean;
  message: string;
}

/** Runs `checks` at `order` on the reference kernels, reporting each result as it comes. */
export function runChecks(checks: readonly SuiteCheck[], order: GradcheckOrder, onResult?: (result: SuiteResult) => void): SuiteResult[] {
  if (order !== 1 && order !== 2) throw new RangeError(`gradcheck suite: order must be 1 or 2, got ${formatValue(order)}`);
  return withBackend('reference', () =>
    checks.map((check) => {
      const { shapes, report } = check.run(order);
      const result = {
        name: check.name,
        shapes,
        maxAbsError: Math.max(...report.inputs.map((r) => r.maxAbsError)),
        maxRelError: Math.max(...report.inputs.map((r) => r.maxRelError)),
        passed: report.passed,
        message: report.message,
      };
      onResult?.(result);
      return result;
    }),
  );
}
