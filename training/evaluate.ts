/** CLI: evaluates a saved model on the official Fashion-MNIST test set and writes the model card. */
import { initTf } from '../framework/tf/backend.ts';
import { parseFlags } from './cli.ts';
import { evaluateModelDir } from './evaluate-lib.ts';
import { DEFAULT_DATA_DIR, IdxError } from './idx.ts';

const flags = parseFlags('evaluate', {
  model: { type: 'string', default: 'apps/fashion-mnist/model', help: 'folder with model.json and weights.bin' },
  data: { type: 'string', default: DEFAULT_DATA_DIR, help: 'folder with the Fashion-MNIST IDX files (.gz or plain)' },
  card: { type: 'string', default: 'apps/fashion-mnist/model-card', help: 'folder for report.json and the SVG pictures' },
  backend: { type: 'string', default: 'auto', help: 'TF.js backend: auto, tensorflow, wasm or cpu' },
});

await initTf({ backend: flags.backend as 'auto', log: (m) => console.log(m) });
try {
  await evaluateModelDir({ modelDir: String(flags.model), dataDir: String(flags.data), cardDir: String(flags.card), log: (m) => console.log(m) });
} catch (err) {
  if (err instanceof IdxError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
