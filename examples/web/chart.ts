/**
 * A small SVG chart of the training run: loss per step (left axis) and test accuracy (right, 0–100 %),
 * with tick values on all three axes.
 */
const svgNs = 'http://www.w3.org/2000/svg';
const size = { width: 560, height: 230, margin: 40 };

export interface AccuracyPoint {
  step: number;
  accuracy: number;
}

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Tick values from 0 to `max` a round step apart (1, 2 or 5 times a power of ten, at least
 * `minStep`: 1 for step counts), about `count` of them.
 */
export function ticks(max: number, { count = 5, minStep = 0 } = {}): number[] {
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(minStep, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  return Array.from({ length: Math.floor(max / step + 1e-9) + 1 }, (_, i) => Number((i * step).toPrecision(12)));
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
    element('text', { x: 4, y: margin - 14, 'font-size': 11, fill: '#1f77b4' }, 'loss'),
    element('text', { x: width - 4, y: margin - 14, 'font-size': 11, fill: '#d62728', 'text-anchor': 'end' }, 'test accuracy'),
    element('text', { x: width / 2, y: height - 4, 'font-size': 11, 'text-anchor': 'middle' }, `step (of ${steps})`),
  );
  const tick = (
    axis: string,
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    label: string,
    anchor: string,
    tx: number,
    ty: number,
  ): SVGGElement => {
    const group = element('g', { class: `tick ${axis}` });
    group.append(
      element('line', { x1, y1, x2, y2, stroke: '#bbb' }),
      element('text', { x: tx, y: ty, 'font-size': 10, 'text-anchor': anchor, fill: '#555' }, label),
    );
    return group;
  };
  for (const value of ticks(maxLoss)) {
    const y = yLoss(value);
    svg.append(tick('loss', margin - 4, y, margin, y, String(value), 'end', margin - 6, y + 3));
  }
  for (const value of [0, 0.25, 0.5, 0.75, 1]) {
    const y = yAccuracy(value);
    svg.append(tick('accuracy', width - margin, y, width - margin + 4, y, `${100 * value} %`, 'start', width - margin + 6, y + 3));
  }
  for (const value of ticks(steps, { minStep: 1 })) {
    const at = x(value);
    svg.append(tick('step', at, height - margin, at, height - margin + 4, String(value), 'middle', at, height - margin + 15));
  }
  const line = (points: Array<[number, number]>, color: string): SVGPolylineElement =>
    element('polyline', {
      points: points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' '),
      fill: 'none',
      stroke: color,
      'stroke-width': 1.5,
    });
  svg.append(
    line(
      losses.map((loss, i) => [x(i + 1), yLoss(loss)]),
      '#1f77b4',
    ),
  );
  svg.append(
    line(
      accuracies.map(({ step, accuracy }) => [x(step), yAccuracy(accuracy)]),
      '#d62728',
    ),
  );
}
