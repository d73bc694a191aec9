/** Log lines for people: pino's JSON as `12:04:05 INFO  message  key=value` on a terminal, JSON anywhere else. */

/** pino's numeric levels and the names a person reads. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line carries that say nothing to a person at a terminal. */
const QUIET = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

/**
 * One pino JSON line as a person reads it; a line that is not JSON passes through unchanged. An
 * error's stack (pino's `err.stack`) follows on its own lines.
 *
 * @example
 * formatLogLine('{"level":30,"time":1796638286499,"msg":"Server listening","app":"/"}');
 * // '12:11:26 INFO  Server listening  app=/'
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line.slice(0, -1) : line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toTimeString().slice(0, 8) : '';
  const level = LEVELS[Number(entry.level)] ?? String(entry.level);
  let stack = '';
  const fields = Object.entries(entry)
    .filter(([key]) => !QUIET.has(key))
    .map(([key, value]) => {
      if (key === 'err' && typeof value === 'object' && value !== null && typeof (value as { stack?: unknown }).stack === 'string') {
        stack = `\n${(value as { stack: string }).stack}`;
        return `err=${JSON.stringify((value as { message?: unknown }).message ?? '')}`;
      }
      return `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`;
    });
  return `${time} ${level} ${String(entry.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}`;
}

/**
 * Where `serve()` sends its log: formatted lines on a terminal (unless `LOG_FORMAT=json`), else
 * undefined (pino writes JSON to standard output as it does by default).
 *
 * @example
 * const stream = terminalLogStream();
 * Fastify({ logger: { level: 'info', ...(stream ? { stream } : {}) } });
 */
export function terminalLogStream(out: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): { write(line: string): void } | undefined {
  if (!out.isTTY || env.LOG_FORMAT === 'json') return undefined;
  return { write: (line: string) => void out.write(`${formatLogLine(line)}\n`) };
}
