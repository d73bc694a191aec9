/** CLI (`npm run export:onnx`): converts the trained TF.js model to model.onnx and checks it on all 10,000 test images; exits 1 when they disagree. */
import { numberFlag, parseFlags } from './cli.ts';
import { DEFAULT_TOLERANCE, exportAndReport } from './export-onnx-lib.ts';
import { DEFAULT_DATA_DIR, IdxError } from './idx.ts';

const flags = parseFlags('export:onnx', {
  model: { type: 'string', default: 'apps/fashion-mnist/model', help: 'folder with model.json, weights.bin and labels.json' },
  out: { type: 'string', default: '', help: 'file to write (default: model.onnx in the --model folder)' },
  data: { type: 'string', default: DEFAULT_DATA_DIR, help: 'folder with the Fashion-MNIST IDX files, for the check against TF.js' },
  tolerance: { type: 'string', default: String(DEFAULT_TOLERANCE), help: 'largest probability difference from TF.js that passes' },
  'skip-check': { type: 'boolean', default: false, help: 'write the file without checking it against TF.js' },
});

try {
  const passed = await exportAndReport({
    modelDir: String(flags.model),
    ...(flags.out ? { out: String(flags.out) } : {}),
    ...(flags['skip-check'] ? {} : { dataDir: String(flags.data) }),
    tolerance: numberFlag('tolerance', flags.tolerance, { min: 0 }),
    log: (m) => console.log(m),
  });
  if (!passed) process.exitCode = 1;
} catch (err) {
  if (err instanceof IdxError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
