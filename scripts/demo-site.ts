/** The interactive demo (examples/web/) as a site: shared by `npm run demo:web` and test/demo-web.spec.ts. */
import { join } from 'node:path';
import type { WebSite } from './web-site';

const dir = join(__dirname, '../examples/web');

export const demoSite: WebSite = { root: dir, scripts: [join(dir, 'demo.ts')] };
