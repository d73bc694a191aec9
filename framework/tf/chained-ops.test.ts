/** Tensor methods without the full @tensorflow/tfjs bundle: the same set, the same results. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// A fresh process: in this one another test file may already have loaded the full bundle.
function inFreshProcess(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim();
}

describe('registerChainedOps', () => {
  it('adds every tensor method the @tensorflow/tfjs bundle adds', () => {
    const out = inFreshProcess(`
      const core = await import('@tensorflow/tfjs-core');
      const methods = () => new Set(Object.getOwnPropertyNames(core.Tensor.prototype));
      const { registerChainedOps } = await import('./framework/tf/chained-ops.ts');
      const bare = methods();
      registerChainedOps();
      const ours = methods();
      await import('@tensorflow/tfjs');
      const full = [...methods()].filter((m) => !ours.has(m));
      console.log(JSON.stringify({ added: ours.size - bare.size, missing: full }));
    `);
    const { added, missing } = JSON.parse(out) as { added: number; missing: string[] };
    expect(missing).toEqual([]);
    expect(added).toBeGreaterThan(120);
  });

  it('gives the same results as the ops they stand for', () => {
    const out = inFreshProcess(`
      const { initTf } = await import('./framework/tf/backend.ts');
      const { tf } = await initTf({ backend: 'cpu' });
      const x = tf.tensor2d([[1, 5, 2], [7, 0, 3]]);
      console.log(JSON.stringify({
        argMax: x.argMax(-1).arraySync(),
        mean: x.mean(0).arraySync(),
        flatten: x.flatten().arraySync(),
        concat: x.concat(x, 0).shape,
        toInt: x.div(2).toInt().dtype,
        asScalar: tf.tensor1d([4]).asScalar().shape,
        where: x.where(tf.tensor2d([[true, false, true], [false, true, false]]), tf.zerosLike(x)).arraySync(),
      }));
    `);
    expect(JSON.parse(out)).toEqual({
      argMax: [1, 0],
      mean: [4, 2.5, 2.5],
      flatten: [1, 5, 2, 7, 0, 3],
      concat: [4, 3],
      toInt: 'int32',
      asScalar: [],
      where: [[1, 0, 2], [0, 0, 0]],
    });
  });
});
