/** Adam's step in JavaScript, one parameter after another (the rule: kernels/adam/kernels.ts). */
import type { AdamKernels } from './kernels';

export const jsAdam: AdamKernels = {
  step(slots, { beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, sqrtCorrection2, decay, l2, eps }) {
    for (const { param, grad, expAvg: m, expAvgSq: v } of slots) {
      for (let k = 0; k < param.length; k++) {
        const theta = param[k] * decay;
        const g = grad[k] + l2 * theta;
        const mk = beta1 * m[k] + oneMinusBeta1 * g;
        const vk = beta2 * v[k] + oneMinusBeta2 * g * g;
        m[k] = mk;
        v[k] = vk;
        param[k] = theta - (stepSize * mk) / (Math.sqrt(vk) / sqrtCorrection2 + eps);
      }
    }
  },
};
