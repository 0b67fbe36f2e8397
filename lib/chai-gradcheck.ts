/**
 * A chai plugin so gradient checks read like any other assertion in a mocha suite:
 *
 *   import chai, { expect } from 'chai';
 *   import { chaiGradcheck } from 'dropgrad';
 *   chai.use(chaiGradcheck);
 *   expect((x: Tensor) => myOp(x)).to.passGradcheck([randn([3, 4], { requiresGrad: true })]);
 *
 * It needs no import of chai itself: chai hands the plugin its Assertion class.
 */
import type { Tensor } from './tensor';
import { type GradcheckFn, type GradcheckOptions, gradcheck } from './gradcheck';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    interface Assertion {
      /** Asserts that the function's backward matches central finite differences on `inputs`. */
      passGradcheck(inputs: readonly Tensor[], options?: Omit<GradcheckOptions, 'raiseException'>): Assertion;
    }
  }
}

interface AssertionContext {
  _obj: unknown;
  assert(passed: boolean, message: string, negatedMessage: string, expected: unknown): void;
}

type PassGradcheck = (this: AssertionContext, inputs: readonly Tensor[], options?: GradcheckOptions) => void;

interface ChaiWithAssertion {
  Assertion: { addMethod(name: string, method: PassGradcheck): void };
}

export function chaiGradcheck(chai: ChaiWithAssertion): void {
  chai.Assertion.addMethod('passGradcheck', function (inputs: readonly Tensor[], options: GradcheckOptions = {}) {
    const fn = this._obj;
    if (typeof fn !== 'function') throw new TypeError(`passGradcheck: expected a function of the inputs, got ${typeof fn}`);
    const report = gradcheck(fn as GradcheckFn, inputs, { ...options, raiseException: false });
    this.assert(report.passed, report.message, 'expected gradcheck to fail, but it passed', undefined);
  });
}
