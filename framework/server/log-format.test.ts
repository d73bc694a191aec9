/** Log lines for a terminal: time, level, message and the other fields; JSON stays JSON off a terminal. */
import { describe, expect, it } from 'vitest';
import { formatLogLine, terminalLogStream } from './log-format.ts';

const at = new Date(2026, 11, 7, 12, 4, 5).getTime();

describe('formatLogLine', () => {
  it('time, level and message first, then the fields that matter', () => {
    const line = JSON.stringify({ level: 30, time: at, pid: 1, hostname: 'vm', app: '/', worker: 0, msg: 'ONNX Runtime loaded model.onnx', note: 'two words' });
    expect(formatLogLine(line)).toBe('12:04:05 INFO  ONNX Runtime loaded model.onnx  app=/ worker=0 note="two words"');
  });

  it("an error's message inline and its stack below; a line that is not JSON as it is", () => {
    const line = JSON.stringify({ level: 50, time: at, msg: 'the app failed', err: { message: 'boom', stack: 'Error: boom\n    at f (app.ts:1:1)' } });
    expect(formatLogLine(line)).toBe('12:04:05 ERROR the app failed  err="boom"\nError: boom\n    at f (app.ts:1:1)');
    expect(formatLogLine('plain text\n')).toBe('plain text');
  });
});

describe('terminalLogStream', () => {
  it('only on a terminal, and not with LOG_FORMAT=json', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    terminalLogStream(tty, {})!.write(JSON.stringify({ level: 40, time: at, msg: 'careful' }));
    expect(written).toEqual(['12:04:05 WARN  careful\n']);
    expect(terminalLogStream(tty, { LOG_FORMAT: 'json' })).toBeUndefined();
    expect(terminalLogStream({ isTTY: false } as unknown as NodeJS.WriteStream, {})).toBeUndefined();
  });
});
