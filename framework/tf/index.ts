/**
 * `vitrine/tf`: TensorFlow.js as apps use it — the backend chosen once per thread, layers models
 * saved in and loaded from a folder, and the direct predictor for plain sequential models.
 * Importing it loads TF.js (core, layers): do it inside an app's `load()`, never at the top of
 * the app module, which the server's main thread imports too. It needs the optional peer
 * dependencies `@tensorflow/tfjs-core`, `@tensorflow/tfjs-layers` and a backend
 * (`@tensorflow/tfjs-backend-wasm` or `-cpu`, or `@tensorflow/tfjs-node`).
 */
export { initTf, type Tf, type TfRuntime, type InitTfOptions, type BackendChoice } from './backend.ts';
export { loadLayersModelFromDir, saveLayersModelToDir, MODEL_JSON, WEIGHTS_BIN } from './model-io.ts';
export { directPredictor } from './direct-predict.ts';
