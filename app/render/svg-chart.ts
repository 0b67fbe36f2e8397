/**
 * Minimal SVG charts for the experiment reports (learning curves, measured-vs-predicted bars):
 * plain text, no dependencies, readable in any browser or Markdown viewer.
 */
export interface Series {
  label: string;
  values: readonly number[];
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
];
const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const frame: Frame = { width: 720, height: 400, left: 60, right: 200, top: 40, bottom: 50 };

function axes(title: string, xLabel: string, yLabel: string, yMin: number, yMax: number, f: Frame = frame): string[] {
  const { width, height, left, right, top, bottom } = f;
  const plotBottom = height - bottom;
  const parts = [
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${plotBottom}" x2="${width - right}" y2="${plotBottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${plotBottom}" stroke="#333"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`,
    `<text x="14" y="${(top + plotBottom) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(top + plotBottom) / 2})">${escapeXml(yLabel)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    const y = plotBottom - ((plotBottom - top) * i) / 4;
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="10">${fmt(v)}</text>`);
    parts.push(`<line x1="${left}" y1="${y}" x2="${width - right}" y2="${y}" stroke="#ddd"/>`);
  }
  return parts;
}

function legend(labels: readonly string[]): string[] {
  const x = frame.width - frame.right + 12;
  return labels.flatMap((label, i) => [
    `<rect x="${x}" y="${frame.top + i * 18}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`,
    `<text x="${x + 18}" y="${frame.top + i * 18 + 10}" font-size="11">${escapeXml(label)}</text>`,
  ]);
}

const wrap = (parts: string[], f: Frame = frame): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;

function range(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  return [lo, hi];
}

/** One polyline per series over x = 1..n. */
export function lineChart(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const [yMin, yMax] = range(series.flatMap((s) => s.values));
  const n = Math.max(...series.map((s) => s.values.length));
  const { width, height, left, right, top, bottom } = frame;
  const x = (i: number): number => left + ((width - right - left) * i) / Math.max(1, n - 1);
  const y = (v: number): number => height - bottom - ((height - bottom - top) * (v - yMin)) / (yMax - yMin);
  const lines = series.map((s, k) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="1.5" points="${points}"/>`;
  });
  return wrap([...axes(title, xLabel, yLabel, yMin, yMax), ...lines, ...legend(series.map((s) => s.label))]);
}

/** Groups of bars: one group per category, one bar per series. */
export function barChart(title: string, yLabel: string, categories: readonly string[], series: readonly Series[]): string {
  const yMax = Math.max(...series.flatMap((s) => s.values.filter(Number.isFinite)), 0) * 1.1 || 1;
  const { width, height, left, right, top, bottom } = frame;
  const groupWidth = (width - right - left) / categories.length;
  const barWidth = (groupWidth * 0.8) / series.length;
  const y = (v: number): number => height - bottom - ((height - bottom - top) * v) / yMax;
  const bars = series.flatMap((s, k) =>
    s.values.map((v, c) => {
      const x0 = left + c * groupWidth + groupWidth * 0.1 + k * barWidth;
      return `<rect x="${x0.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(height - bottom - y(v)).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${escapeXml(`${s.label}: ${fmt(v)}`)}</title></rect>`;
    }),
  );
  const labels = categories.map(
    (c, i) =>
      `<text x="${left + (i + 0.5) * groupWidth}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(c)}</text>`,
  );
  return wrap([...axes(title, '', yLabel, 0, yMax), ...bars, ...labels, ...legend(series.map((s) => s.label))]);
}

export interface PointWithError {
  label: string;
  mean: number;
  /** The whisker's half-length (e.g. a standard deviation over seeds). */
  error: number;
}

/**
 * One point per category with a whisker from mean − error to mean + error, and a dashed line at
 * `reference` (e.g. the baseline's mean) so that each category reads as above or below it.
 */
export function errorBarChart(
  title: string,
  yLabel: string,
  points: readonly PointWithError[],
  reference?: { label: string; value: number },
): string {
  const ends = points.flatMap((p) => [p.mean - p.error, p.mean + p.error]);
  const [lo, hi] = range(reference !== undefined ? [...ends, reference.value] : ends);
  const pad = (hi - lo) * 0.05;
  const [yMin, yMax] = [lo - pad, hi + pad];
  // Room below for the slanted category names, none at the right for a legend.
  const f: Frame = { ...frame, height: 470, bottom: 120, right: 110 };
  const { width, height, left, right, top, bottom } = f;
  const step = (width - right - left) / Math.max(1, points.length);
  const x = (i: number): number => left + (i + 0.5) * step;
  const y = (v: number): number => height - bottom - ((height - bottom - top) * (v - yMin)) / (yMax - yMin);
  const marks = points.flatMap((p, i) => {
    const [cx, top1, bottom1] = [x(i).toFixed(1), y(p.mean + p.error).toFixed(1), y(p.mean - p.error).toFixed(1)];
    return [
      `<line x1="${cx}" y1="${top1}" x2="${cx}" y2="${bottom1}" stroke="${PALETTE[0]}" stroke-width="1.5"/>`,
      `<line x1="${(x(i) - 5).toFixed(1)}" y1="${top1}" x2="${(x(i) + 5).toFixed(1)}" y2="${top1}" stroke="${PALETTE[0]}"/>`,
      `<line x1="${(x(i) - 5).toFixed(1)}" y1="${bottom1}" x2="${(x(i) + 5).toFixed(1)}" y2="${bottom1}" stroke="${PALETTE[0]}"/>`,
      `<circle cx="${cx}" cy="${y(p.mean).toFixed(1)}" r="4" fill="${PALETTE[0]}"><title>${escapeXml(`${p.label}: ${fmt(p.mean)} ± ${fmt(p.error)}`)}</title></circle>`,
      `<text x="${cx}" y="${height - bottom + 14}" text-anchor="end" font-size="10" transform="rotate(-30 ${cx} ${height - bottom + 14})">${escapeXml(p.label)}</text>`,
    ];
  });
  const line =
    reference !== undefined
      ? [
          `<line x1="${left}" y1="${y(reference.value).toFixed(1)}" x2="${width - right}" y2="${y(reference.value).toFixed(1)}" stroke="${PALETTE[1]}" stroke-dasharray="6 4"/>`,
          `<text x="${width - right + 6}" y="${(y(reference.value) + 4).toFixed(1)}" font-size="11" fill="${PALETTE[1]}">${escapeXml(reference.label)}</text>`,
        ]
      : [];
  return wrap([...axes(title, '', yLabel, yMin, yMax, f), ...line, ...marks], f);
}
