/** Tiny helpers shared by the training CLIs: flag parsing with help text, and a progress bar. */
import { parseArgs } from 'node:util';

/** One CLI flag: its type, default and help line. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  default: string | boolean;
  help: string;
}

/**
 * Parses `argv` against a flag table; `--help` prints every flag with its default and exits.
 *
 * @example
 * const flags = parseFlags('train', { epochs: { type: 'string', default: '15', help: 'epochs' } });
 */
export function parseFlags<T extends Record<string, FlagSpec>>(
  command: string,
  specs: T,
  argv = process.argv.slice(2),
): { [K in keyof T]: T[K]['default'] } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(specs)) options[name] = { type: spec.type };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage(command, specs)}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage(command, specs));
    process.exit(0);
  }
  const out: Record<string, string | boolean> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = values[name] ?? spec.default;
  return out as { [K in keyof T]: T[K]['default'] };
}

function usage(command: string, specs: Record<string, FlagSpec>): string {
  const lines = [`Usage: npm run ${command} -- [flags]`, ''];
  for (const [name, spec] of Object.entries(specs)) {
    const flag = spec.type === 'boolean' ? `--${name}` : `--${name} <value>`;
    lines.push(`  ${flag.padEnd(28)} ${spec.help} (default: ${String(spec.default)})`);
  }
  return lines.join('\n');
}

/** Parses a numeric flag, failing with the flag's name. */
export function numberFlag(name: string, value: string | boolean, { min = -Infinity, integer = false } = {}): number {
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    console.error(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}; got "${String(value)}"`);
    process.exit(2);
  }
  return n;
}

/** Formats seconds as m:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A per-batch progress bar on stderr: redrawn in place on a terminal, one line per tenth of the
 * epoch otherwise (so logs stay readable).
 *
 * @example
 * const bar = progressBar(); bar.update(10, 100, 'loss 0.5'); bar.done();
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  return {
    update(done: number, total: number, label: string, suffix: string): void {
      const width = 30;
      const filled = Math.round((done / total) * width);
      const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (done === total ? '=' : '>') : ''}${' '.repeat(width - filled)}`;
      const line = `${label} [${bar}] ${String(done).padStart(String(total).length)}/${total} ${suffix}`;
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
      } else {
        const tenth = Math.floor((done / total) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          stream.write(`${line}\n`);
        }
      }
    },
    done(): void {
      if (stream.isTTY) stream.write('\n');
      lastTenth = -1;
    },
  };
}
