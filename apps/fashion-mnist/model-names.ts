/** The model folder's file names and metadata keys, without file access (the browser build needs the names too). */

/** What the app serves (ONNX Runtime) and what training writes and resumes from (TF.js). */
export const MODEL_FILES = { onnx: 'model.onnx', tfjsTopology: 'model.json', tfjsWeights: 'weights.bin', labels: 'labels.json' } as const;

/** ONNX metadata key holding the SHA-256 of the TF.js files the export was made from (model-files.ts `hashTfjsFiles`). */
export const SOURCE_HASH_METADATA = 'vitrine.source_sha256';
