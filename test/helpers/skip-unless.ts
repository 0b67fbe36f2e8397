/**
 * For specs that need something from outside npm (Chromium, Xvfb, a built headless-gl): on a
 * developer's machine without it they skip and say why; on CI (CI set) they fail instead, because
 * there .ci/run installs it and a skip would hide a broken setup.
 */
export function skipUnless(context: Mocha.Context, missing: string | undefined): void {
  if (missing === undefined) return;
  if (process.env.CI) throw new Error(`${missing} — required on CI`);
  console.warn(`      skipped: ${missing}`);
  context.skip();
}
