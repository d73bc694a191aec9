/** ONNX models on ONNX Runtime (onnxruntime-node, CPU): load once per thread from an app's `load()`, describe, run on typed arrays. A browser gets browser.ts instead (onnxruntime-web). */
export { loadOnnxModel, type LoadOnnxOptions, type OnnxModel, type OnnxTensor, type OnnxValueInfo, type TensorData } from './model.ts';
export { chooseIntraOpThreads, THREADS_ENV, type ThreadBudget } from './threads.ts';
export { readOnnxFileInfo, type OnnxFileInfo } from './file-info.ts';
export { loadOrt, OnnxRuntimeUnavailableError, type Ort } from './runtime.ts';
export { chooseWasmThreads } from './wasm-threads.ts';
