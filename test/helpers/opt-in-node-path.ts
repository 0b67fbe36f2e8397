/**
 * Loaded by mocha before the specs (.mocharc.json): gpu.js, when its opt-in set is installed
 * (npm run setup:gpujs), is found by the library's require('gpu.js') here and in spawned CLIs.
 */
import { addOptInToNodePath } from '../../scripts/opt-in';

addOptInToNodePath('gpujs');
