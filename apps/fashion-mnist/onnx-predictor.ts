/** The exported CNN on ONNX Runtime as the app's Predict, in Node and in a browser alike. */
import type { OnnxModel } from 'vitrine/onnx';
import { adaptiveMirrorOf, MIRROR_AVERAGE_METADATA, type Predict } from './mirror.ts';

/**
 * One pass of the exported CNN, made adaptive-mirror when the export says the model is served
 * averaged. Throws when the model does not take `[batch, 28, 28, 1]` floats to 10 classes.
 *
 * @example
 * const predict = onnxPredictor(await loadOnnxModel(path));
 * const probs = await predict(pixels, 1); // 10 probabilities
 */
export function onnxPredictor(model: OnnxModel): Predict {
  const [input] = model.inputs;
  const [output] = model.outputs;
  const fits = input?.type === 'float32' && [1, 2, 3].every((i) => input.shape[i] === [0, 28, 28, 1][i]) && output?.shape.at(-1) === 10;
  if (!fits) throw new Error(`${model.path} does not take [batch, 28, 28, 1] floats to 10 classes`);
  const pass = async (x: Float32Array, n: number) => (await model.predict(x, [n, 28, 28, 1])).data as Float32Array;
  return model.file.metadata[MIRROR_AVERAGE_METADATA] === 'true' ? adaptiveMirrorOf(pass) : pass;
}
