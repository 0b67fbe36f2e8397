/**
 * The interactive demo (examples/web/, npm run demo:web) in headless Chromium: it starts, draws a
 * mask whose dropped fraction matches the chosen p, switches technique, trains the small CNN a few
 * steps with a falling loss on a chart with tick values, says where a stopped run stopped, refuses a
 * step count that is not a positive whole number, and renders (a screenshot is saved to a temporary
 * directory).
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticks } from '../examples/web/chart';
import { demoSite } from '../scripts/demo-site';
import { useChromiumPage } from './helpers/chromium-page';

describe('the web demo in headless Chromium', function () {
  this.timeout(120000);
  const chromium = useChromiumPage(demoSite, '/', (page) => page.waitForSelector('body[data-ready]'));

  const droppedFraction = async (): Promise<number> => Number(await chromium.page.getAttribute('#dropped', 'data-fraction'));

  /** Moves a parameter slider the way a user does (value, then an input event). */
  async function setParameter(name: string, value: number): Promise<void> {
    await chromium.page.locator(`#parameters input[name=${name}]`).fill(String(value));
  }

  it('starts and draws the default technique (dropout) over the digits', async () => {
    expect(await chromium.page.getAttribute('body', 'data-ready')).to.equal('true');
    expect(await chromium.page.inputValue('#technique')).to.equal('dropout');
    // 64 digits × 784 pixels: the dropped share is p = 0.3 within a few standard deviations (±0.006).
    expect(await droppedFraction()).to.be.closeTo(0.3, 0.02);
  });

  it('updates the mask live when p moves', async () => {
    await setParameter('p', 0.7);
    expect(await droppedFraction()).to.be.closeTo(0.7, 0.02);
  });

  it('switches to DropBlock and Cutout, whose masks drop pixels, and to Uout, whose mask drops none', async () => {
    await chromium.page.selectOption('#technique', 'dropblock');
    expect(await droppedFraction()).to.be.within(0.05, 0.5);
    await chromium.page.selectOption('#technique', 'cutout');
    await setParameter('length', 10);
    expect(await droppedFraction()).to.be.within(0.01, 100 / 784);
    await chromium.page.selectOption('#technique', 'uout');
    expect(await droppedFraction()).to.equal(0);
  });

  it('trains the small CNN: the loss over the last steps is below the first steps', async () => {
    await chromium.page.selectOption('#technique', 'dropout');
    await setParameter('p', 0.1);
    await chromium.page.fill('#steps', '40');
    await chromium.page.click('#train');
    await chromium.page.waitForSelector('#status[data-state=done]', { timeout: 100000 });
    const losses = JSON.parse((await chromium.page.getAttribute('#status', 'data-losses')) ?? '[]') as number[];
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `      loss ${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(3)} over ${losses.length} steps; test accuracy ${await chromium.page.getAttribute('#status', 'data-accuracy')}`,
    );
    expect(losses).to.have.length(40);
    expect(mean(losses.slice(-5))).to.be.lessThan(0.7 * mean(losses.slice(0, 5)));
    expect(await chromium.page.textContent('#status')).to.match(/^done, 40 steps: loss \d\.\d{3}, test accuracy \d+ %$/);
  });

  it('labels the chart axes with tick values: steps 0–40, the loss, accuracy 0–100 %', async () => {
    const labels = (axis: string): Promise<string[]> => chromium.page.locator(`#chart .tick.${axis} text`).allTextContents();
    expect(await labels('step')).to.deep.equal(['0', '10', '20', '30', '40']);
    expect(await labels('accuracy')).to.deep.equal(['0 %', '25 %', '50 %', '75 %', '100 %']);
    const loss = (await labels('loss')).map(Number);
    expect(loss[0]).to.equal(0);
    expect(loss.length).to.be.within(3, 8);
  });

  it('says at which step a run stopped when Stop is pressed', async () => {
    await chromium.page.fill('#steps', '500');
    await chromium.page.click('#train');
    await chromium.page.waitForFunction("Number(document.querySelector('#status').dataset.step) >= 3");
    await chromium.page.click('#train');
    await chromium.page.waitForSelector('#status[data-state=stopped]');
    const stoppedAt = Number(await chromium.page.getAttribute('#status', 'data-step'));
    expect(stoppedAt).to.be.within(3, 499);
    expect(await chromium.page.textContent('#status')).to.match(new RegExp(`^stopped at step ${stoppedAt} of 500: loss \\d\\.\\d{3}`));
    expect(await chromium.page.textContent('#train')).to.equal('Train');
  });

  it('refuses a negative or fractional step count with a message instead of clamping it', async () => {
    const before = await chromium.page.getAttribute('#status', 'data-losses');
    for (const steps of ['-5', '2.5', '0']) {
      await chromium.page.fill('#steps', steps);
      await chromium.page.click('#train');
      expect(await chromium.page.getAttribute('#status', 'data-state')).to.equal('invalid');
      expect(await chromium.page.textContent('#status')).to.equal(`steps must be a whole number of at least 1, got "${steps}"`);
      expect(await chromium.page.textContent('#train'), 'no run started').to.equal('Train');
    }
    expect(await chromium.page.getAttribute('#status', 'data-losses'), 'the last run is left as it was').to.equal(before);
  });

  it('renders: a screenshot of the page after training', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dropgrad-demo-')), 'demo.png');
    const png = await chromium.page.screenshot({ path: file, fullPage: true });
    console.log(`      screenshot: ${file}`);
    expect(png.subarray(1, 4).toString('latin1')).to.equal('PNG');
    expect(await chromium.page.locator('#chart polyline').count()).to.equal(2);
  });
});

describe("the demo chart's tick values", () => {
  it('are round steps from 0, whole numbers on the step axis even for a run of a few steps', () => {
    expect(ticks(2.5)).to.deep.equal([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(ticks(3.7)).to.deep.equal([0, 1, 2, 3]);
    expect(ticks(150, { minStep: 1 })).to.deep.equal([0, 50, 100, 150]);
    expect(ticks(3, { minStep: 1 })).to.deep.equal([0, 1, 2, 3]);
    expect(ticks(1, { minStep: 1 })).to.deep.equal([0, 1]);
  });
});
