/**
 * The page lifecycle the browser specs share: skip (or, on CI, fail) without Chromium, serve the
 * site, open `path` in headless Chromium, wait until `ready`, check after every test that the page
 * logged no errors, and close everything at the end. Call it inside a `describe`.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium, openPage } from '../../scripts/chromium';
import { type ServedSite, type WebSite, serveSite } from '../../scripts/web-site';
import { skipUnless } from './skip-unless';

export function useChromiumPage(site: WebSite, path: string, ready: (page: Page) => Promise<unknown>): { readonly page: Page } {
  let served: ServedSite | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let errors: string[] = [];

  before(async function () {
    skipUnless(this, chromiumUnavailable());
    served = await serveSite(site);
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, `${served.url}${path}`));
    await ready(page);
  });

  after(async () => {
    await browser?.close();
    await served?.close();
  });

  afterEach(() => expect(errors, 'errors in the page').to.deep.equal([]));

  return {
    get page(): Page {
      if (!page) throw new Error('useChromiumPage: the page is only open inside the tests');
      return page;
    },
  };
}
