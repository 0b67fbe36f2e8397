/** Evaluation: accuracy, mean loss and the confusion matrix over every batch, in eval mode. */
import { crossEntropy } from '../../lib/ops/losses';
import { noGrad } from '../../lib/grad-mode';
import type { Module } from '../../nn/module';
import { Batches } from './batches';
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
        lossSum += crossEntropy(logits, y).item() * y.numel;
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
