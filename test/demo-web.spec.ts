/**
 * The interactive demo (examples/web/, npm run demo:web) in headless Chromium: it starts, draws a
 * mask whose dropped fraction matches the chosen p, switches technique, trains the small CNN a few
 * steps with a falling loss, and renders (a screenshot is saved to a temporary directory).
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium, openPage } from '../scripts/chromium';
import { demoSite } from '../scripts/demo-site';
import { ServedSite, serveSite } from '../scripts/web-site';
import { skipUnless } from './skip-unless';

describe('the web demo in headless Chromium', function () {
  this.timeout(120000);
  let site: ServedSite | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];

  before(async function () {
    skipUnless(this, chromiumUnavailable());
    site = await serveSite(demoSite);
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, `${site.url}/`));
    await page.waitForSelector('body[data-ready]');
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  afterEach(() => expect(errors, 'errors in the page').to.deep.equal([]));

  const droppedFraction = async (): Promise<number> => Number(await page.getAttribute('#dropped', 'data-fraction'));

  /** Moves a parameter slider the way a user does (value, then an input event). */
  async function setParameter(name: string, value: number): Promise<void> {
    await page.locator(`#parameters input[name=${name}]`).fill(String(value));
  }

  it('starts and draws the default technique (dropout) over the digits', async () => {
    expect(await page.getAttribute('body', 'data-ready')).to.equal('true');
    expect(await page.inputValue('#technique')).to.equal('dropout');
    // 64 digits × 784 pixels: the dropped share is p = 0.3 within a few standard deviations (±0.006).
    expect(await droppedFraction()).to.be.closeTo(0.3, 0.02);
  });

  it('updates the mask live when p moves', async () => {
    await setParameter('p', 0.7);
    expect(await droppedFraction()).to.be.closeTo(0.7, 0.02);
  });

  it('switches to DropBlock and Cutout, whose masks drop pixels, and to Uout, whose mask drops none', async () => {
    await page.selectOption('#technique', 'dropblock');
    expect(await droppedFraction()).to.be.within(0.05, 0.5);
    await page.selectOption('#technique', 'cutout');
    await setParameter('length', 10);
    expect(await droppedFraction()).to.be.within(0.01, 100 / 784);
    await page.selectOption('#technique', 'uout');
    expect(await droppedFraction()).to.equal(0);
  });

  it('trains the small CNN: the loss over the last steps is below the first steps', async () => {
    await page.selectOption('#technique', 'dropout');
    await setParameter('p', 0.1);
    await page.fill('#steps', '40');
    await page.click('#train');
    await page.waitForSelector('#status[data-state=done]', { timeout: 100000 });
    const losses = JSON.parse((await page.getAttribute('#status', 'data-losses')) ?? '[]') as number[];
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`      loss ${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(3)} over ${losses.length} steps; test accuracy ${await page.getAttribute('#status', 'data-accuracy')}`);
    expect(losses).to.have.length(40);
    expect(mean(losses.slice(-5))).to.be.lessThan(0.7 * mean(losses.slice(0, 5)));
  });

  it('renders: a screenshot of the page after training', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dropgrad-demo-')), 'demo.png');
    const png = await page.screenshot({ path: file, fullPage: true });
    console.log(`      screenshot: ${file}`);
    expect(png.subarray(1, 4).toString('latin1')).to.equal('PNG');
    expect(await page.locator('#chart polyline').count()).to.equal(2);
  });
});
