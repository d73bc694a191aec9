/**
 * The module `vitrine onnx` mounts. Worker threads import an app by its path and get nothing
 * else, so the spec travels in an environment variable (set by serve.ts before any worker starts;
 * a worker's environment is a copy of its parent's): reading it here is all this module does.
 */
import { createOnnxClassifier } from './classifier.ts';
import { SPEC_ENV, type ClassifierSpec } from './spec.ts';

/**
 * The spec serve.ts put in the environment.
 *
 * @example
 * process.env.VITRINE_ONNX_CLASSIFIER = JSON.stringify(spec);
 * specFromEnv(); // spec
 */
export function specFromEnv(env: NodeJS.ProcessEnv = process.env): ClassifierSpec {
  const json = env[SPEC_ENV];
  if (!json) throw new Error(`this app serves the model described by ${SPEC_ENV}; start it with \`vitrine onnx model.onnx --labels labels.json\``);
  return JSON.parse(json) as ClassifierSpec;
}

export default createOnnxClassifier(specFromEnv());
