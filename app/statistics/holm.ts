/**
 * Holm–Bonferroni adjustment of a family of m p-values (Holm 1979). Testing m hypotheses each at α
 * makes a false positive somewhere far likelier than α (about 1 − (1 − α)^m); comparing the
 * adjusted p with α instead keeps the chance of any false positive in the family at most α, for any
 * dependence between the tests, and rejects everything Bonferroni (m·p) rejects and often more.
 *
 * With the raw p sorted ascending, p_(1) ≤ … ≤ p_(m):
 *
 *   adjusted p_(i) = max over j ≤ i of min(1, (m − j + 1) · p_(j))
 *
 * (the running maximum keeps the adjusted p in the order of the raw ones), reported in the input's
 * order. As R's p.adjust(p, "holm") and statsmodels' multipletests(p, method="holm").
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const [i, p] of pValues.entries())
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: pValues[${i}] must be a p-value in [0, 1], got ${p}`);
  const m = pValues.length;
  // Ties keep their input order (a stable sort); their adjusted values come out equal either way.
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i] - pValues[j]);
  const adjusted = new Array<number>(m);
  let running = 0;
  for (const [rank, i] of order.entries()) {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[i]));
    adjusted[i] = running;
  }
  return adjusted;
}
