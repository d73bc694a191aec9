/** CLI (`npm run serve:onnx -- model.onnx --labels labels.json`): serves any ONNX image classifier with the Image → Label page, API and OpenAPI. */
import { parseArgs } from 'node:util';
import { serve } from 'vitrine';
import { ClassifierSetupError, resolveClassifierSpec, SPEC_ENV, type ClassifierOptions } from './spec.ts';

const USAGE = `Usage: npm run serve:onnx -- <model.onnx> [flags]

Serves an ONNX image classifier: a page, POST /api/predict, /openapi.json. The input layout
(NCHW or NHWC, 1 or 3 channels, height and width) is read from the model.

  --labels <file>     class names: a JSON array or one per line (default: the model's vitrine.labels metadata)
  --mean <v[,v,v]>    subtracted from pixels scaled to [0, 1], one value or one per channel (default: 0)
  --std <v[,v,v]>     then divided by, one value or one per channel (default: 1)
  --top-k <n>         classes shown (default: 3)
  --title <text>      page title (default: the model's file name)
  --size <HxW>        picture size, for a model whose height and width are symbolic
  PORT, HOST          where to listen (default 7860, 127.0.0.1), as for npm start`;

/** The options from argv; exits with the usage on a malformed command line. */
function parseCommandLine(argv: string[]): ClassifierOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        labels: { type: 'string' },
        mean: { type: 'string' },
        std: { type: 'string' },
        'top-k': { type: 'string' },
        title: { type: 'string' },
        size: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length !== 1) fail(`give exactly one model file${positionals.length ? `; got ${positionals.join(' ')}` : ''}\n\n${USAGE}`);
  const numbers = (text: string) => text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  let size: [number, number] | undefined;
  if (values.size !== undefined) {
    const m = /^(\d+)(?:x(\d+))?$/i.exec(values.size.trim());
    if (!m) fail(`--size takes HEIGHTxWIDTH or one number; got "${values.size}"`);
    size = [Number(m[1]), Number(m[2] ?? m[1])];
  }
  return {
    model: positionals[0]!,
    ...(values.labels !== undefined ? { labels: values.labels } : {}),
    ...(values.mean !== undefined ? { mean: numbers(values.mean) } : {}),
    ...(values.std !== undefined ? { std: numbers(values.std) } : {}),
    ...(values['top-k'] !== undefined ? { topK: Number(values['top-k']) } : {}),
    ...(values.title !== undefined ? { title: values.title } : {}),
    ...(size ? { size } : {}),
  };
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

const options = parseCommandLine(process.argv.slice(2));
let spec;
try {
  spec = await resolveClassifierSpec(options);
} catch (err) {
  if (err instanceof ClassifierSetupError) fail(err.message);
  throw err;
}
const { layout } = spec;
process.stdout.write(
  `${spec.modelPath}: ${layout.format} ${layout.channels === 1 ? 'grey' : 'RGB'} ${layout.height}×${layout.width}` +
    `${layout.dynamicBatch ? '' : ' (batch fixed at 1)'}, ${spec.labels.length} classes, top ${spec.topK}\n`,
);
// Before serve(): worker threads copy this process's environment when they start.
process.env[SPEC_ENV] = JSON.stringify(spec);
await serve({ apps: [{ prefix: '/', module: new URL('./app.ts', import.meta.url) }] });
