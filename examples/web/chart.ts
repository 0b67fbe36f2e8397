/** A small SVG chart of the training run: loss per step (left axis) and test accuracy (right, 0–100 %). */
const svgNs = 'http://www.w3.org/2000/svg';
const size = { width: 560, height: 220, margin: 36 };

export interface AccuracyPoint {
  step: number;
  accuracy: number;
}

function element<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Redraws `svg` for the losses so far (one per step) and the accuracy measurements, out of `steps`. */
export function drawChart(svg: SVGSVGElement, losses: readonly number[], accuracies: readonly AccuracyPoint[], steps: number): void {
  const { width, height, margin } = size;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const maxLoss = Math.max(2.5, ...losses);
  const x = (step: number): number => margin + ((width - 2 * margin) * step) / Math.max(1, steps);
  const yLoss = (loss: number): number => height - margin - ((height - 2 * margin) * loss) / maxLoss;
  const yAccuracy = (accuracy: number): number => height - margin - (height - 2 * margin) * accuracy;
  svg.append(
    element('rect', { x: margin, y: margin, width: width - 2 * margin, height: height - 2 * margin, fill: 'none', stroke: '#bbb' }),
    element('text', { x: 4, y: margin - 8, 'font-size': 11, fill: '#1f77b4' }, `loss (max ${maxLoss.toFixed(1)})`),
    element('text', { x: width - 4, y: margin - 8, 'font-size': 11, fill: '#d62728', 'text-anchor': 'end' }, 'test accuracy (0–100 %)'),
    element('text', { x: width / 2, y: height - 8, 'font-size': 11, 'text-anchor': 'middle' }, `step (of ${steps})`),
  );
  const line = (points: Array<[number, number]>, color: string): SVGPolylineElement =>
    element('polyline', { points: points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 1.5 });
  svg.append(line(losses.map((loss, i) => [x(i + 1), yLoss(loss)]), '#1f77b4'));
  svg.append(line(accuracies.map(({ step, accuracy }) => [x(step), yAccuracy(accuracy)]), '#d62728'));
}
