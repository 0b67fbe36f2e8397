/**
 * Loaded by mocha before the specs (.mocharc.json): every wasm kernel call on more than one thread
 * is split, whatever its size. The specs check the split on small shapes — the thread count must
 * not change a result — and the cost model (kernels/wasm/thread-cost.ts) would run those on one
 * thread. test/thread-cost.spec.ts turns it off to check the model's own choices.
 */
import { setSplitEveryCall } from '../../kernels/wasm/thread-cost';

setSplitEveryCall(true);
