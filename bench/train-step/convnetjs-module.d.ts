/**
 * The part of ConvNetJS 0.3 (npm `convnetjs`, which ships no types) that bench/train-step/convnetjs.ts
 * uses; layer definitions are plain objects, as in its documentation. (Not named convnetjs.d.ts:
 * TypeScript would take that for the output of convnetjs.ts and ignore it.)
 */
declare module 'convnetjs' {
  export type LayerDefinition =
    | { type: 'input'; out_sx: number; out_sy: number; out_depth: number }
    | { type: 'conv'; sx: number; filters: number; stride: number; pad: number; activation?: 'relu' }
    | { type: 'pool'; sx: number; stride: number }
    | { type: 'fc'; num_neurons: number; activation?: 'relu' }
    | { type: 'softmax'; num_classes: number };

  /** A 3-d volume of numbers, laid out [sy][sx][depth] in `w`. */
  export class Vol {
    /** Filled with `value`, or with random numbers when it is left out. */
    constructor(sx: number, sy: number, depth: number, value?: number);
    w: Float64Array;
  }

  export class Net {
    makeLayers(definitions: LayerDefinition[]): void;
  }

  export interface TrainerOptions {
    /** 'sgd' (with momentum), 'adagrad', 'windowgrad' or 'adadelta'; any other name runs SGD. */
    method: 'sgd' | 'adagrad' | 'windowgrad' | 'adadelta';
    learning_rate?: number;
    /** Gradients of this many train() calls are summed before one update. */
    batch_size: number;
    l2_decay?: number;
  }

  export class Trainer {
    constructor(net: Net, options: TrainerOptions);
    /** Forward and backward on one example (and the update every batch_size calls); cost_loss is its cross-entropy. */
    train(x: Vol, label: number): { cost_loss: number };
  }
}
