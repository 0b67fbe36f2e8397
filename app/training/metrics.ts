/** Classification metrics computed straight from logits and labels (no graph, no allocation per row). */
import type { Tensor } from '../../lib/tensor';

/** The index of the largest logit in each row of [B, K] logits. */
export function argmaxRows(logits: Tensor): Int32Array {
  const [rows, classes] = logits.shape;
  const data = logits.contiguousData();
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (data[r * classes + k] > data[r * classes + best]) best = k;
    out[r] = best;
  }
  return out;
}

export function countCorrect(logits: Tensor, labels: Tensor): number {
  const predicted = argmaxRows(logits);
  const truth = labels.contiguousData();
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct;
}

/** confusion[true][predicted] counts. */
export function confusionMatrix(predicted: ArrayLike<number>, truth: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < predicted.length; i++) matrix[truth[i]][predicted[i]]++;
  return matrix;
}
