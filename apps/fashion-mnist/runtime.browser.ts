/** The Fashion-MNIST model in a browser (`#fashion-mnist/runtime` under the `browser` condition): model.onnx on onnxruntime-web, fetched from the static site. */
import { loadOnnxModel } from 'vitrine/onnx';
import type { LoadedPredictor } from './runtime.ts';
import { MODEL_FILES } from './model-names.ts';
import { onnxPredictor } from './onnx-predictor.ts';

/**
 * Loads model.onnx from the model folder's URL (`vitrine build` copies the folder next to the
 * app's bundle). No TF.js fallback and no staleness check here: the build serves the ONNX file
 * the server would, and the agreement test checks both give the same answers.
 *
 * @example
 * const { predict } = await loadPredictor(new URL('./model/', import.meta.url), (m) => log(m));
 */
export async function loadPredictor(folder: string | URL, log: (message: string) => void): Promise<LoadedPredictor> {
  const model = await loadOnnxModel(new URL(MODEL_FILES.onnx, folder), { log });
  return { predict: onnxPredictor(model), runtime: 'onnx' };
}
