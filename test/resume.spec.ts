import { expect } from 'chai';
import { join } from 'node:path';
import { readSafetensors, save } from '../app/serialization/safetensors-file';
import { runCli as run } from './helpers/buffer-io';
import { useTempDir, writeIdxSplit } from './helpers/data-files';

/** 48 training and 16 test images of 28×28 as the four --train-images … flags. */
const smallData = (dir: string): string[] => [
  ...writeIdxSplit(dir, 'train', 48, 28, (i) => i % 10),
  ...writeIdxSplit(dir, 'test', 16, 28, (i) => i % 10),
];

/** The epoch lines' numbers (the losses and accuracies; not the time they took). */
const epochNumbers = (out: string): string[] => [...out.matchAll(/^(epoch \d+\/\d+: train loss .*%) \(/gm)].map((m) => m[1]);

/** Every technique that can go together, in groups a model takes at once. */
const techniqueSets = [
  ['--dropout', '0.5', '--dropblock', '0.8:3', '--dropconnect', '0.5', '--cutout', '1:8', '--random-erasing', '0.5'],
  ['--gaussian', '0.5', '--dropout2d', '0.3'],
  ['--uout', '0.5'],
  ['--alpha-dropout', '0.3'],
  ['--model', 'resnet-small', '--stochastic-depth', '0.5', '--dropblock', '0.8:3', '--cutout', '1:8', '--random-erasing', '0.5'],
];

describe('train --resume: the resumed run is the uninterrupted one, bit for bit, with random masks', function () {
  this.timeout(300000);
  const tempDir = useTempDir();

  for (const techniques of techniqueSets) {
    it(`1 epoch, save, resume to 2 equals 2 epochs: ${techniques.join(' ')}`, async () => {
      const dir = tempDir();
      // Schedules laid over --epochs would differ between a 1-epoch and a 2-epoch run: held constant here.
      const common = [...smallData(dir), ...techniques, '--batch-size', '8', '--seed', '3', '--schedule', 'constant'];
      const scheduled = techniques.includes('--dropblock') ? ['--dropblock-schedule', 'none'] : [];
      const [whole, halves] = [join(dir, 'whole.safetensors'), join(dir, 'halves.safetensors')];
      const uninterrupted = await run('train', ...common, ...scheduled, '--epochs', '2', '--save', whole);
      const first = await run('train', ...common, ...scheduled, '--epochs', '1', '--save', halves);
      const resumed = await run('train', ...common, ...scheduled, '--epochs', '2', '--resume', halves, '--save', halves);
      for (const result of [uninterrupted, first, resumed]) expect(result).to.include({ code: 0, err: '' });
      expect(epochNumbers(resumed.out)).to.deep.equal(epochNumbers(uninterrupted.out).slice(1));
      const [a, b] = [readSafetensors(whole), readSafetensors(halves)];
      for (const [key, t] of Object.entries(a.tensors)) expect(Array.from(b.tensors[key].data), key).to.deep.equal(Array.from(t.data));
      // The same epoch, optimizer state and generator states; only the stored flags (--save, --resume) differ.
      expect({ ...b.metadata, config: '' }).to.deep.equal({ ...a.metadata, config: '' });
    });
  }
});

describe('train --resume: a checkpoint of another model or other flags is refused before any work, naming each flag', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('names both models, and each changed flag with both values; --epochs, paths and kernels may change', async () => {
    const dir = tempDir();
    const data = [...smallData(dir), '--batch-size', '16'];
    const path = join(dir, 'ck.safetensors');
    expect(await run('train', ...data, '--model', 'resnet-small', '--dropblock', '0.9:3', '--save', path)).to.include({ code: 0 });
    const resume = (...flags: string[]) => run('train', ...data, ...flags, '--epochs', '2', '--resume', path);
    /** The refusal listing `changes`, each flag with the checkpoint's value and this run's. */
    const refusal = (changes: string): string =>
      `dropgrad: --resume ${path}: the checkpoint was trained with ${changes}; resume with its flags (only --epochs, --save, --resume, ` +
      '--backend, --threads, --test-limit, --data, --cifar, --train-images, --train-labels, --test-images, --test-labels may change)\n';
    expect(await resume()).to.deep.equal({
      code: 2,
      out: '',
      err: refusal('--model resnet-small (this run: small-cnn), --dropblock 0.9:3 (this run: not given)'),
    });
    expect((await resume('--model', 'resnet-small', '--dropblock', '0.9:5', '--lr', '0.01')).err).to.equal(
      refusal('--dropblock 0.9:3 (this run: 0.9:5), --lr 0.002 (this run: 0.01)'),
    );
    // The same learning rate spelled otherwise, and another thread count, are the same run.
    const same = await resume('--model', 'resnet-small', '--dropblock', '0.9:3', '--lr', '2e-3', '--threads', '1');
    expect(same).to.include({ code: 0, err: '' });
    expect(same.out).to.contain(`resumed from ${path} after epoch 1`);
  });
});

describe("train --resume: a checkpoint written before the masks' generator was stored", function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('resumes its weights and says the masks will not be the uninterrupted run’s', async () => {
    const dir = tempDir();
    const common = [...smallData(dir), '--dropout', '0.5', '--batch-size', '16', '--schedule', 'constant'];
    const path = join(dir, 'old.safetensors');
    expect(await run('train', ...common, '--epochs', '1', '--save', path)).to.include({ code: 0, err: '' });
    const { tensors, metadata } = readSafetensors(path);
    const { masks: _, ...older } = metadata;
    save(tensors, path, { metadata: older });
    const resumed = await run('train', ...common, '--epochs', '2', '--resume', path);
    expect(resumed).to.include({ code: 0 });
    expect(resumed.err).to.contain(`${path} predates checkpoints that store the masks' generator`);
  });
});
