import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspectCheckpoint } from '../app/serialization/checkpoint';
import { Generator } from '../lib/random/generator';
import { useTempDir } from './helpers/data-files';

describe('dropgrad train and Ctrl-C', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('stops after the current step, saves the checkpoint, and exits with 130', async () => {
    const checkpoint = join(tempDir(), 'interrupted.safetensors');
    const root = join(__dirname, '..');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'app/cli/main.ts',
        'train',
        '--limit',
        '20000',
        '--test-limit',
        '100',
        '--batch-size',
        '16',
        '--save',
        checkpoint,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // The first progress line means training has started: interrupt it mid-epoch.
        if (/epoch 1\/1 +\d+%/.test(out) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    expect(code, `stdout:\n${out}\nstderr:\n${err}`).to.equal(130);
    expect(out).to.contain('interrupted during epoch 1').and.contain(`saved ${checkpoint} (epoch 0)`);
    // Saved as epoch 0 with the generators as epoch 1 found them: its resume replays epoch 1's shuffle (seed 0 + 1).
    expect(inspectCheckpoint(checkpoint).shuffleState).to.deep.equal(new Generator(1).getState());
    // The atomic save leaves exactly the checkpoint: no temporary file behind.
    expect(readdirSync(tempDir())).to.deep.equal(['interrupted.safetensors']);
  });
});
