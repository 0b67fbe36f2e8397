/**
 * Headless Chromium through playwright-core, using the system's Chromium (Debian's `chromium`
 * package; DROPGRAD_CHROMIUM overrides the path) — playwright's own browser downloads are not
 * reachable from these machines. Each launch gets a fresh temporary profile from playwright.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const chromiumPath = process.env.DROPGRAD_CHROMIUM ?? '/usr/bin/chromium';

/**
 * --disable-gpu: there is no GPU, so WebGL runs on Chromium's software renderer (SwiftShader).
 * --disable-background-networking (and the update/sync switches): Chromium's own connection
 * attempts fail and stall on this network. --no-sandbox: CI runs as root.
 */
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why Chromium cannot be launched here, or undefined when it can. */
export function chromiumUnavailable(): string | undefined {
  return existsSync(chromiumPath) ? undefined : `no Chromium at ${chromiumPath} (apt-get install chromium, or set DROPGRAD_CHROMIUM)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args, headless: true });
}

/** A page with `url` loaded; the errors it throws or logs are collected in `errors`. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}
