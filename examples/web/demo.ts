/**
 * The demo page's script (served by `npm run demo:web`): a technique and its hyper-parameters
 * drive a live mask over 64 MNIST test digits; "Train" trains the small CNN with that technique on
 * 256 training digits and charts loss and test accuracy. Readouts carry data-* attributes so the
 * headless-browser test (test/demo-web.spec.ts) can read the numbers back.
 */
import { Generator, Tensor, setBackend } from '../../browser';
import { drawChart } from './chart';
import type { AccuracyPoint } from './chart';
import { loadDigits } from './digits';
import { drawMasked } from './mask-view';
import { techniques } from './techniques';
import type { Technique } from './techniques';
import { train } from './trainer';

function byId<T extends HTMLElement | SVGSVGElement>(id: string, type: { new (): T; prototype: T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no #${id} ${type.name}`);
  return node;
}

const techniqueSelect = byId('technique', HTMLSelectElement);
const parameterBox = byId('parameters', HTMLDivElement);
const seedInput = byId('seed', HTMLInputElement);
const canvas = byId('masks', HTMLCanvasElement);
const droppedOutput = byId('dropped', HTMLOutputElement);
const trainButton = byId('train', HTMLButtonElement);
const stepsInput = byId('steps', HTMLInputElement);
const status = byId('status', HTMLSpanElement);
const chart = byId('chart', SVGSVGElement);

let technique: Technique = techniques[0];
let values: Record<string, number> = {};
/** Redraws the masks; set once the digits are loaded. */
let redraw = (): void => undefined;

function showParameters(): void {
  values = Object.fromEntries(technique.parameters.map((p) => [p.name, p.value]));
  parameterBox.replaceChildren(
    ...technique.parameters.map((parameter) => {
      const label = document.createElement('label');
      const input = Object.assign(document.createElement('input'), {
        type: 'range',
        name: parameter.name,
        min: String(parameter.min),
        max: String(parameter.max),
        step: String(parameter.step),
        value: String(parameter.value),
      });
      const shown = document.createElement('output');
      shown.textContent = String(parameter.value);
      input.addEventListener('input', () => {
        values[parameter.name] = Number(input.value);
        shown.textContent = input.value;
        redraw();
      });
      label.append(`${parameter.label} `, input, shown);
      return label;
    }),
  );
}

async function main(): Promise<void> {
  // The 'wasm' kernels (they fall back to 'js' with one warning where WebAssembly SIMD is missing):
  // this page loads no gpu.js, so the default's GPU probe would only cost time.
  setBackend('wasm');
  const [test, trainSet] = await Promise.all([loadDigits('test'), loadDigits('train')]);
  const [channels, height, width] = test.raw.shape;
  const digits = Tensor.fromData(Float64Array.from(test.raw.images), [test.raw.labels.length, channels, height, width]);

  techniqueSelect.replaceChildren(...techniques.map((t) => new Option(t.label, t.name)));
  techniqueSelect.addEventListener('change', () => {
    technique = techniques.find((t) => t.name === techniqueSelect.value) ?? techniques[0];
    showParameters();
    redraw();
  });
  seedInput.addEventListener('input', redraw);
  redraw = () => {
    const mask = technique.mask(digits, values, new Generator(Number(seedInput.value) || 0));
    const { droppedFraction, meanFactor } = drawMasked(canvas, digits, mask);
    droppedOutput.value = `${(100 * droppedFraction).toFixed(1)} % of pixels dropped, mean factor ${meanFactor.toFixed(3)}`;
    droppedOutput.dataset.fraction = String(droppedFraction);
  };
  showParameters();
  redraw();

  let running = false;
  trainButton.addEventListener('click', () => {
    if (running) {
      running = false;
      return;
    }
    const steps = Number(stepsInput.value);
    if (stepsInput.value.trim() === '' || !Number.isInteger(steps) || steps < 1) {
      // Refused, not clamped: a run of some other length than the one asked for would mislead.
      status.dataset.state = 'invalid';
      status.textContent = `steps must be a whole number of at least 1, got ${JSON.stringify(stepsInput.value)}`;
      return;
    }
    running = true;
    trainButton.textContent = 'Stop';
    const losses: number[] = [];
    const accuracies: AccuracyPoint[] = [];
    /** The latest loss and accuracy, for the running line and the closing one. */
    let latest = 'no step ran';
    status.dataset.state = 'running';
    status.textContent = 'training…';
    train({
      train: trainSet.normalized,
      test: test.normalized,
      steps,
      batchSize: 32,
      technique,
      values: { ...values },
      seed: Number(seedInput.value) || 0,
      stopped: () => !running,
      onStep: (step, loss, accuracy) => {
        losses.push(loss);
        if (accuracy !== undefined) accuracies.push({ step, accuracy });
        const last = accuracies[accuracies.length - 1];
        latest = `loss ${loss.toFixed(3)}${last ? `, test accuracy ${(100 * last.accuracy).toFixed(0)} %` : ''}`;
        status.textContent = `step ${step}/${steps}, ${latest}`;
        Object.assign(status.dataset, { step: String(step), losses: JSON.stringify(losses), accuracy: last ? String(last.accuracy) : '' });
        drawChart(chart, losses, accuracies, steps);
      },
    })
      .then(() => {
        const done = losses.length === steps;
        status.dataset.state = done ? 'done' : 'stopped';
        status.textContent = done ? `done, ${steps} steps: ${latest}` : `stopped at step ${losses.length} of ${steps}: ${latest}`;
      })
      .catch((error: unknown) => {
        status.dataset.state = 'failed';
        status.textContent = `training failed: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        running = false;
        trainButton.textContent = 'Train';
      });
  });
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  document.body.dataset.ready = 'failed';
  document.body.prepend(`The demo failed to start: ${error instanceof Error ? error.message : String(error)}`);
});
