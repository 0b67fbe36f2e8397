/**
 * One check of the suite, and the two ways an entry is built: an op checked w.r.t. the inputs it is
 * given, and a layer checked w.r.t. its input and every parameter. Each runs at first order
 * (gradcheck) or second (gradgradcheck) from a fixed seed, so its inputs and masks are the same on
 * every machine.
 */
import type { Tensor } from '../../lib/tensor';
import type { GradcheckReport } from '../../lib/gradcheck-report';
import { gradcheck } from '../../lib/gradcheck';
import { gradgradcheck } from '../../lib/gradgradcheck';
import { manualSeed } from '../../lib/random/generator';
import { formatShape } from '../../base/shape';
import type { Module } from '../../nn/module';
import { normal } from './inputs';

/** 1: first derivatives against finite differences of fn; 2: second ones, against finite differences of its gradients. */
export type GradcheckOrder = 1 | 2;
const checkerOfOrder = { 1: gradcheck, 2: gradgradcheck } as const;

export interface SuiteCheck {
  name: string;
  /** Builds the inputs (seeded) and runs the check at the given order. */
  run: (order: GradcheckOrder) => { shapes: string; report: GradcheckReport };
}

const SEED = 1234;

/** An op checked w.r.t. the inputs `inputs` builds; `seed` replays a drop op's mask under every perturbation. */
export function op(name: string, inputs: () => Tensor[], fn: (...t: Tensor[]) => Tensor): SuiteCheck {
  return {
    name,
    run: (order) => {
      manualSeed(SEED);
      const xs = inputs();
      return {
        shapes: xs.map((x) => formatShape(x.shape)).join(' '),
        report: checkerOfOrder[order](fn, xs, { raiseException: false, seed: SEED }),
      };
    },
  };
}

/**
 * A layer checked w.r.t. its input and every parameter, in training mode; `seed` reseeds the
 * default generator before every evaluation, so the layer draws the same mask each time.
 */
export function layer(name: string, build: () => Module, inputShape: number[], seed = SEED): SuiteCheck {
  return {
    name,
    run: (order) => {
      manualSeed(seed);
      const module = build();
      const x = normal(...inputShape);
      const params = module.parameters();
      return {
        shapes: [x, ...params].map((t) => formatShape(t.shape)).join(' '),
        report: checkerOfOrder[order]((t: Tensor) => module.forward(t), [x, ...params], {
          raiseException: false,
          seed,
          fastMode: params.length > 2,
        }),
      };
    },
  };
}
