/**
 * The experiment behind the Dropout/BatchNorm disharmony (Li et al. 2019). A unit after a noise
 * layer and a linear layer, y = Σᵢ wᵢ·nᵢ·hᵢ, has in training
 *
 *   Var_train(y) = Var_test(y) + c · Σᵢ wᵢ² E[hᵢ²],   c = p/(1−p) (dropout), β²/3 (Uout),
 *
 * because the noise n is independent, has mean 1 and variance c. BatchNorm normalises with
 * Var_train while training but its running statistics carry that variance into test, where the
 * unit only has Var_test: the ratio Var_test/Var_train (< 1) is the shift. For zero-mean hᵢ it is
 * exactly 1/(1 + c): 1 − p for dropout, 1/(1 + β²/3) for Uout. We measure it at the BN that
 * follows the noise, next to the prediction from the formula above, for a model without noise,
 * dropout at each p before the BN and after the last BN, and Uout at each β before the BN; then
 * test accuracy over seeds, each placement against the one that isolates one factor (report.ts):
 * the paper's claims are that dropout before BN costs accuracy (against no noise, and against the
 * same dropout after the last BN), and that Uout before BN costs less — which is a claim about the
 * kind of noise only when both noises are equally strong, c for c.
 *
 * The measured ratio sits far above 1 − p because Var_test(y) = Σᵢⱼ wᵢwⱼ Cov(hᵢ, hⱼ) holds the
 * covariances between units, which the noise term (a sum over units only) does not grow with: the
 * paper's width argument. A mean term in E[hᵢ²] works the other way — it enlarges the noise term,
 * i.e. the training variance, and pushes the ratio down.
 */
import { Generator } from '../../../lib/random/generator';
import { Adam } from '../../../nn/optim/adam';
import { DataLoader } from '../../data/data-loader';
import { type DataSplits, examplesUsed } from '../../data/data-splits';
import { validationSplitSeed } from '../../data/validation-split';
import { mean, summarize } from '../../statistics/welch';
import { trainEpoch } from '../../training/train-epoch';
import { evaluate } from '../../training/evaluate';
import type { VarianceShiftConfig } from './config';
import { buildPlacement, placementKinds } from './placements';
import { type Shift, measureShift } from './measure-shift';
import { type PlacementMeasures, type VarianceShiftReport, placementResults } from './report';

/** One placement trained from one seed. */
export interface PlacementRun extends Shift {
  placement: string;
  seed: number;
  accuracy: number;
}

/** Trains every placement from every seed and measures its shift and test accuracy; onRun hears of each run as it ends. */
export async function varianceShift(
  config: VarianceShiftConfig,
  data: DataSplits,
  onRun: (run: PlacementRun) => void = () => {},
): Promise<VarianceShiftReport> {
  const { p, beta, width, epochs, seeds } = config;
  const [c, h, w] = data.train.shape;
  const used = examplesUsed(data);
  // data.test holds the validation images on the validation split (cut to size, no limit left).
  const testLoader = new DataLoader(data.test, { batchSize: 500, limit: data.testLimit });
  const probe = new DataLoader(data.test, { batchSize: used.test, limit: data.testLimit });
  const probeBatch = probe[Symbol.iterator]().next().value!.x;

  const kinds = placementKinds(p, beta);
  // perSeed[placement][seed]
  const perSeed: PlacementRun[][] = kinds.map(() => []);
  for (const seed of seeds) {
    for (const [i, kind] of kinds.entries()) {
      const v = buildPlacement(kind, c * h * w, data.train.classes, width, seed);
      const loader = new DataLoader(data.train, {
        batchSize: 64,
        shuffle: true,
        generator: new Generator(seed + 1),
        limit: data.trainLimit,
      });
      const optimizer = new Adam(v.model.parameters(), { lr: 1e-3 });
      for (let e = 0; e < epochs; e++) await trainEpoch(v.model, loader, optimizer);
      const shift = measureShift(v, probeBatch);
      const accuracy = evaluate(v.model, testLoader, data.test.classes).accuracy;
      const run = { ...shift, placement: v.name, seed, accuracy };
      perSeed[i].push(run);
      onRun(run);
    }
  }
  const measures: PlacementMeasures[] = kinds.map((kind, i) => ({
    ...kind,
    measured: mean(perSeed[i].map((r) => r.measured)),
    predicted: mean(perSeed[i].map((r) => r.predicted)),
    zeroMean: perSeed[i][0].zeroMean,
    testAcc: summarize(perSeed[i].map((r) => r.accuracy)),
  }));
  const scored =
    data.split === 'test'
      ? { split: data.split, trainExamples: used.train, testExamples: used.test }
      : { split: data.split, trainExamples: used.train, testExamples: 0, validationSize: used.test, validationSeed: validationSplitSeed };
  return {
    config: { p, beta, width, epochs, seeds, seedOffset: seeds[0], data: data.name, ...scored },
    placements: placementResults(measures),
  };
}
