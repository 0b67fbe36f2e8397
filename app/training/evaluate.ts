/**
 * Evaluation: accuracy, mean loss and the confusion matrix over every batch, in eval mode. A
 * non-finite loss is an error, as in trainEpoch.
 */
import { crossEntropy } from '../../lib/ops/cross-entropy';
import { noGrad } from '../../lib/grad-mode';
import type { Module } from '../../nn/module';
import type { Batches } from './batches';
import { argmaxRows, confusionMatrix } from './metrics';

export interface Evaluation {
  accuracy: number;
  loss: number;
  examples: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
}

export function evaluate(model: Module, batches: Batches, classes = 10): Evaluation {
  const wasTraining = model.training;
  model.eval();
  const predicted: number[] = [];
  const truth: number[] = [];
  let lossSum = 0;
  try {
    noGrad(() => {
      for (const { x, y } of batches) {
        const logits = model.forward(x);
        const loss = crossEntropy(logits, y).item();
        if (!Number.isFinite(loss)) {
          // An accuracy computed from NaN logits means nothing: refuse it instead of reporting it.
          throw new RangeError(
            `evaluate: the loss is ${loss} on examples ${truth.length + 1}-${truth.length + y.numel}: the model's outputs are not finite (NaN or infinite weights, a negative running_var?)`,
          );
        }
        lossSum += loss * y.numel;
        predicted.push(...argmaxRows(logits));
        truth.push(...y.contiguousData());
      }
    });
  } finally {
    model.train(wasTraining);
  }
  const correct = predicted.filter((p, i) => p === truth[i]).length;
  return {
    accuracy: truth.length ? correct / truth.length : NaN,
    loss: truth.length ? lossSum / truth.length : NaN,
    examples: truth.length,
    confusion: confusionMatrix(predicted, truth, classes),
  };
}
