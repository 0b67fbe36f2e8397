/**
 * What bench/infer.ts does with a model's outputs: sums them (each row's Timing.value, so the table
 * shows at a glance that dropgrad's and tfjs' rows computed the same numbers) and, before timing,
 * checks dropgrad's against TensorFlow.js' element by element.
 */

export function outputSum(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** Relative to the output's size, past 1: logits of 30 may differ by more than logits of 0.3. */
export const agreementTolerance = 1e-4;

/** The largest |ours − theirs| / (1 + |theirs|); throws, naming the element, past the tolerance. */
export function checkAgreement(what: string, ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  if (ours.length !== theirs.length) throw new Error(`${what}: dropgrad gave ${ours.length} outputs, TensorFlow.js ${theirs.length}`);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) {
    const difference = Math.abs(ours[i] - theirs[i]) / (1 + Math.abs(theirs[i]));
    if (!(difference <= agreementTolerance))
      throw new Error(
        `${what}: dropgrad and TensorFlow.js disagree at output ${i}: ${ours[i]} against ${theirs[i]} (|Δ|/(1+|tfjs|) = ${difference.toExponential(2)} > ${agreementTolerance}); they do not run the same network, so their times would not compare`,
      );
    worst = Math.max(worst, difference);
  }
  return worst;
}
