/**
 * npm run demo:web — builds the demo page (examples/web/) with the browser bundle and serves it
 * on http://127.0.0.1:8080/ (PORT overrides) until interrupted.
 */
import { demoSite } from './demo-site';
import { serveSite } from './web-site';

async function main(): Promise<void> {
  const site = await serveSite(demoSite, Number(process.env.PORT ?? 8080));
  console.log(`dropgrad demo: ${site.url}/  (Ctrl-C to stop)`);
  // Stop on Ctrl-C or a kill, removing the temporary build on the way out.
  const stop = (): void => void site.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
