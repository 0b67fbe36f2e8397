/**
 * A chai plugin so gradient checks read like any other assertion in a mocha suite:
 *
 *   import chai, { expect } from 'chai';
 *   import { chaiGradcheck } from 'dropgrad';
 *   chai.use(chaiGradcheck);
 *   expect((x: Tensor) => myOp(x)).to.passGradcheck([randn([3, 4], { requiresGrad: true })]);
 *   expect((x: Tensor) => myOp(x)).to.passGradgradcheck([randn([3, 4], { requiresGrad: true })]);
 *
 * It needs no import of chai itself: chai hands the plugin its Assertion class.
 */
import type { Tensor } from './tensor';
import { type GradcheckFn, type GradcheckOptions, gradcheck } from './gradcheck';
import type { GradcheckReport } from './gradcheck-report';
import { type GradgradcheckOptions, gradgradcheck } from './gradgradcheck';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    interface Assertion {
      /** Asserts that the function's backward matches central finite differences on `inputs`. */
      passGradcheck(inputs: readonly Tensor[], options?: Omit<GradcheckOptions, 'raiseException'>): Assertion;
      /** Asserts that the function's second derivatives match finite differences of its gradients. */
      passGradgradcheck(inputs: readonly Tensor[], options?: Omit<GradgradcheckOptions, 'raiseException'>): Assertion;
    }
  }
}

interface AssertionContext {
  _obj: unknown;
  assert(passed: boolean, message: string, negatedMessage: string, expected: unknown): void;
}

type PassCheck = (this: AssertionContext, inputs: readonly Tensor[], options?: GradgradcheckOptions) => void;

interface ChaiWithAssertion {
  Assertion: { addMethod(name: string, method: PassCheck): void };
}

/** An assertion method running `check` on the asserted function without raising, and asserting its report. */
function passCheck(
  name: string,
  check: (fn: GradcheckFn, inputs: readonly Tensor[], options: GradgradcheckOptions) => GradcheckReport,
): PassCheck {
  const checkName = name.replace('pass', '').toLowerCase();
  return function (inputs, options = {}) {
    const fn = this._obj;
    if (typeof fn !== 'function') throw new TypeError(`${name}: expected a function of the inputs, got ${typeof fn}`);
    const report = check(fn as GradcheckFn, inputs, { ...options, raiseException: false });
    this.assert(report.passed, report.message, `expected ${checkName} to fail, but it passed`, undefined);
  };
}

export function chaiGradcheck(chai: ChaiWithAssertion): void {
  chai.Assertion.addMethod('passGradcheck', passCheck('passGradcheck', gradcheck));
  chai.Assertion.addMethod('passGradgradcheck', passCheck('passGradgradcheck', gradgradcheck));
}
