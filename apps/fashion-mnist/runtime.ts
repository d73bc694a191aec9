/** Which runtime serves the Fashion-MNIST model: ONNX Runtime on model.onnx, or TF.js on model.json when ONNX Runtime cannot. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VitrineError } from 'vitrine';
import { loadOnnxModel, OnnxRuntimeUnavailableError, type OnnxModel } from 'vitrine/onnx';
import { adaptiveMirrorOf, MIRROR_AVERAGE_METADATA, type Predict } from './mirror.ts';
import { hashTfjsFiles, MODEL_FILES, SOURCE_HASH_METADATA } from './model-files.ts';

/** `VITRINE_MODEL_RUNTIME=tfjs` serves the TF.js files even when model.onnx is there (to compare the two). */
export const RUNTIME_ENV = 'VITRINE_MODEL_RUNTIME';

/** What the app's `load()` gets back: the predictor and which runtime it runs on. */
export interface LoadedPredictor {
  predict: Predict;
  runtime: 'onnx' | 'tfjs';
}

/**
 * Loads the model in `dir` once for this thread. ONNX Runtime serves model.onnx (the CNN runs in
 * 0.24 ms per picture against ~0.7 ms on TF.js's WASM backend, ../shared/notes/onnx-runtime.md);
 * TF.js serves model.json when onnxruntime-node cannot load on this platform or model.onnx is
 * missing, and the log says why. The TF.js files stay in the folder anyway: training resumes from
 * them (`npm run train -- --resume`).
 *
 * @example
 * const { predict, runtime } = await loadPredictor('apps/fashion-mnist/model', (m) => log(m));
 * const probs = await predict(pixels, 1); // 10 probabilities
 */
export async function loadPredictor(dir: string, log: (message: string) => void): Promise<LoadedPredictor> {
  const onnxPath = join(dir, MODEL_FILES.onnx);
  const choice = process.env[RUNTIME_ENV]?.trim() || 'onnx';
  if (choice !== 'onnx' && choice !== 'tfjs') throw new Error(`${RUNTIME_ENV} must be onnx or tfjs; got "${choice}"`);
  if (choice === 'tfjs') log(`${RUNTIME_ENV}=tfjs: serving the TF.js model`);
  else if (!existsSync(onnxPath)) log(`no ${onnxPath} (run \`npm run export:onnx\`); serving the TF.js model`);
  else {
    try {
      const model = await loadOnnxModel(onnxPath, { log });
      if (await exportedFrom(dir, model)) return { predict: onnxPredictor(model), runtime: 'onnx' };
      log(`${onnxPath} was exported from other weights than ${MODEL_FILES.tfjsTopology} (run \`npm run export:onnx\`); serving the TF.js model`);
      await model.release();
    } catch (err) {
      if (!(err instanceof OnnxRuntimeUnavailableError)) throw err;
      log(`${err.message}; serving the TF.js model instead`);
    }
  }
  return { predict: await tfjsPredictor(dir, log), runtime: 'tfjs' };
}

/** True unless model.onnx records the hash of TF.js files and the folder holds other ones (a model trained or folded again since the export). */
async function exportedFrom(dir: string, model: OnnxModel): Promise<boolean> {
  const recorded = model.file.metadata[SOURCE_HASH_METADATA];
  if (recorded === undefined || !existsSync(join(dir, MODEL_FILES.tfjsWeights))) return true;
  return recorded === (await hashTfjsFiles(dir));
}

/** One pass of the exported CNN, made adaptive-mirror when the export says the model is served averaged. */
function onnxPredictor(model: OnnxModel): Predict {
  const [input] = model.inputs;
  const [output] = model.outputs;
  const fits = input?.type === 'float32' && [1, 2, 3].every((i) => input.shape[i] === [0, 28, 28, 1][i]) && output?.shape.at(-1) === 10;
  if (!fits) throw new Error(`${model.path} does not take [batch, 28, 28, 1] floats to 10 classes`);
  const pass = async (x: Float32Array, n: number) => (await model.predict(x, [n, 28, 28, 1])).data as Float32Array;
  return model.file.metadata[MIRROR_AVERAGE_METADATA] === 'true' ? adaptiveMirrorOf(pass) : pass;
}

async function tfjsPredictor(dir: string, log: (message: string) => void): Promise<Predict> {
  if (!existsSync(join(dir, MODEL_FILES.tfjsTopology))) {
    throw new VitrineError('MODEL_UNAVAILABLE', { reason: 'no trained model in apps/fashion-mnist/model/ yet; run `npm run train`' });
  }
  // TF.js is imported here, not at the top: the main thread imports the app only for its config,
  // and skipping TF.js there saves ~95 MB and ~1 s of cold start (npm run bench).
  const [{ initTf, loadLayersModelFromDir }, { adaptiveMirror }] = await Promise.all([import('vitrine/tf'), import('./mirror-tfjs.ts')]);
  const { tf } = await initTf({ log, threads: 1 });
  const model = await loadLayersModelFromDir(dir);
  // A warm-up call with both passes forced compiles every kernel, so the first real request is
  // as fast as the rest.
  await adaptiveMirror(tf, model, Infinity)(new Float32Array(784), 1);
  log(`Fashion-MNIST model loaded on TF.js (${model.countParams()} parameters)`);
  return adaptiveMirror(tf, model);
}
