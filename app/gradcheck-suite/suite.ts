/**
 * The gradient-check suite as a product: one check per built-in differentiable op and layer
 * (every drop technique's op and its layer, in training mode with a fixed seed), in float64 on the
 * reference kernels, at first order (gradcheck) or second (gradgradcheck, as PyTorch checks its
 * ops with both). `dropgrad gradcheck [--order 2]` runs it; users can run it on their machine to
 * trust the build. test/gradcheck-coverage.spec.ts fails when an op in F or a layer class in nn has no entry
 * in it (an entry covers the export its name starts with).
 */
import type { GradcheckOrder, SuiteCheck } from './check';
import { layerChecks } from './layer-checks';
import { opChecks } from './op-checks';
import { type SuiteResult, runChecks } from './run-checks';

export const gradcheckSuite: readonly SuiteCheck[] = [...opChecks, ...layerChecks];

/** Runs the checks whose name contains `filter` (case-insensitive) at `order`, on the reference kernels. */
export function runGradcheckSuite(filter = '', onResult?: (result: SuiteResult) => void, order: GradcheckOrder = 1): SuiteResult[] {
  const wanted = gradcheckSuite.filter((c) => c.name.toLowerCase().includes(filter.toLowerCase()));
  return runChecks(wanted, order, onResult);
}
