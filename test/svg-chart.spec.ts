import { expect } from 'chai';
import { errorBarChart } from '../app/render/svg-chart';

/** The numbers of one attribute over the elements of a kind, in document order. */
const attributes = (svg: string, element: string, name: string): number[] =>
  [...svg.matchAll(new RegExp(`<${element} [^>]*${name}="([-\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('errorBarChart', () => {
  const points = [
    { label: 'none', mean: 80, error: 1 },
    { label: 'a<b', mean: 90, error: 4 },
    { label: 'c', mean: 70, error: 0 },
  ];

  it('draws one point per category, whiskers of ±error on one scale, and the category names escaped', () => {
    const svg = errorBarChart('Test accuracy', '%', points);
    const cy = attributes(svg, 'circle', 'cy');
    expect(cy).to.have.length(3);
    // Pixels per unit from the two means 10 apart, then each whisker's length must be 2·error in it.
    const scale = (cy[0] - cy[1]) / 10;
    expect(scale).to.be.above(0); // higher means are drawn higher
    const vertical = [...svg.matchAll(/<line x1="([\d.]+)" y1="([\d.]+)" x2="\1" y2="([\d.]+)" stroke="#1f77b4" stroke-width/g)];
    const lengths = vertical.map((m) => Number(m[3]) - Number(m[2]));
    expect(lengths).to.have.length(3);
    for (const [i, length] of lengths.entries()) expect(length).to.be.closeTo(2 * points[i].error * scale, 0.2);
    expect(svg).to.contain('>a&lt;b</text>').and.not.contain('stroke-dasharray');
  });

  it('marks the reference (the baseline) with a dashed line at its value', () => {
    const svg = errorBarChart('Test accuracy', '%', points, { label: 'none', value: 80 });
    const [reference] = [...svg.matchAll(/<line [^>]*y1="([\d.]+)"[^>]*stroke-dasharray/g)].map((m) => Number(m[1]));
    expect(reference).to.be.closeTo(attributes(svg, 'circle', 'cy')[0], 0.11);
    expect(svg).to.match(/fill="#d62728">none<\/text>/);
  });
});
