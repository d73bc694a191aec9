/** Which runtime serves the model: ONNX Runtime on model.onnx, TF.js (logged) when it cannot or should not. */
import { appendFile, copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MODEL_FILES } from './model-files.ts';
import { loadPredictor, RUNTIME_ENV } from './runtime.ts';

const MODEL_DIR = fileURLToPath(new URL('./model/', import.meta.url));

/** A copy of the committed model folder, less the files named. */
async function copyOfModel(without: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-fashion-model-'));
  for (const name of Object.values(MODEL_FILES)) if (!without.includes(name)) await copyFile(join(MODEL_DIR, name), join(dir, name));
  return dir;
}

/** Ten noise pictures: the model is unsure of most, so the mirror pass runs too. */
function noise(count: number): Float32Array {
  let seed = 11;
  return Float32Array.from({ length: count * 784 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) ** 3);
}

afterEach(() => {
  delete process.env[RUNTIME_ENV];
  vi.doUnmock('../../framework/onnx/runtime.ts');
  vi.resetModules();
});

describe('loadPredictor', () => {
  it('serves model.onnx on ONNX Runtime, with the same answers as the TF.js files (mirror pass included)', async () => {
    const said: string[] = [];
    const onnx = await loadPredictor(MODEL_DIR, (m) => said.push(m));
    expect(onnx.runtime).toBe('onnx');
    expect(said.join('\n')).toMatch(/ONNX Runtime .* loaded model\.onnx/);
    process.env[RUNTIME_ENV] = 'tfjs';
    const tfjs = await loadPredictor(MODEL_DIR, () => {});
    expect(tfjs.runtime).toBe('tfjs');
    const x = noise(10);
    const [a, b] = [await onnx.predict(x, 10), await tfjs.predict(x, 10)];
    expect(a).toHaveLength(100);
    a.forEach((p, i) => expect(p).toBeCloseTo(b[i]!, 4));
  });

  it('serves the TF.js files, saying why, when model.onnx is missing or was exported from other weights', async () => {
    const said: string[] = [];
    const noOnnx = await loadPredictor(await copyOfModel([MODEL_FILES.onnx]), (m) => said.push(m));
    expect(noOnnx.runtime).toBe('tfjs');
    expect(said[0]).toMatch(/no .*model\.onnx \(run `npm run export:onnx`\); serving the TF\.js model/);

    const retrained = await copyOfModel();
    await appendFile(join(retrained, MODEL_FILES.tfjsTopology), '\n'); // any change to the TF.js files counts
    said.length = 0;
    expect((await loadPredictor(retrained, (m) => said.push(m))).runtime).toBe('tfjs');
    expect(said.join('\n')).toMatch(/model\.onnx was exported from other weights than model\.json \(run `npm run export:onnx`\); serving the TF\.js model/);
  });

  it('falls back to TF.js, saying so, when onnxruntime-node cannot load', async () => {
    vi.doMock('../../framework/onnx/runtime.ts', async (original) => {
      const real = await original<typeof import('../../framework/onnx/runtime.ts')>();
      return {
        ...real,
        loadOrt: () => {
          throw new real.OnnxRuntimeUnavailableError('libonnxruntime.so.1: cannot open shared object file');
        },
      };
    });
    const { loadPredictor: load } = await import('./runtime.ts');
    const said: string[] = [];
    expect((await load(MODEL_DIR, (m) => said.push(m))).runtime).toBe('tfjs');
    expect(said[0]).toBe('onnxruntime-node cannot load on this machine: libonnxruntime.so.1: cannot open shared object file; serving the TF.js model instead');
  });

  it('answers 503 (MODEL_UNAVAILABLE) with no model at all, and refuses an unknown runtime name', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'vitrine-fashion-empty-'));
    await expect(loadPredictor(empty, () => {})).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    process.env[RUNTIME_ENV] = 'torch';
    await expect(loadPredictor(MODEL_DIR, () => {})).rejects.toThrow('VITRINE_MODEL_RUNTIME must be onnx or tfjs; got "torch"');
  });
});
