/** The error an ONNX runtime gives when it cannot run on this machine or in this browser, so apps can fall back and say why. */

/**
 * onnxruntime-node is missing, or its native library does not load here (an unsupported platform,
 * a wrong libc); or, in a browser, onnxruntime-web's WASM cannot start. Apps that have another
 * runtime catch this one and fall back, saying so in the log.
 */
export class OnnxRuntimeUnavailableError extends Error {
  constructor(reason: string, runtime: 'onnxruntime-node' | 'onnxruntime-web' = 'onnxruntime-node') {
    super(`${runtime} cannot load ${runtime === 'onnxruntime-node' ? 'on this machine' : 'in this browser'}: ${reason}`);
    this.name = 'OnnxRuntimeUnavailableError';
  }
}
