/**
 * Cold start of a server command: spawn → first `GET /healthz` 200, over several runs.
 *
 *   node scripts/bench-startup.ts [--runs 5] [--cwd DIR] -- node --conditions=vitrine-source server.ts
 *
 * Each run gets a free port through `PORT` (`{port}` in the command is replaced by it too), is
 * polled every 10 ms and stopped with SIGTERM before the next starts. Several commands are
 * measured side by side (alternating runs) when separated by `--` (a machine shared with other
 * work drifts between batches). On Linux it also prints the CPU time the server's process (all
 * its threads) had used by then, which other work on the machine inflates less than wall time.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './lib/server-process.ts';

const USAGE = `Usage: node scripts/bench-startup.ts [--runs N] [--cwd DIR] -- COMMAND... [-- COMMAND...]
  --runs N   runs per command (default 5)
  --cwd DIR  working directory of the commands (default: this one)`;

/** How often /healthz is polled: well under the differences being measured (hundreds of ms). */
const POLL_MS = 10;
/** A start that takes longer than this is reported as failed. */
const TIMEOUT_MS = 60_000;

/** user + system CPU time of a process, in ms, from /proc (Linux; clock ticks of 10 ms); undefined elsewhere. */
function cpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Starts `command` once and resolves with the ms from spawn to the first /healthz 200, and the CPU ms used by then. */
async function startOnce(command: string[], cwd: string): Promise<{ wall: number; cpu: number | undefined }> {
  const port = await freePort();
  const args = command.slice(1).map((a) => a.replaceAll('{port}', String(port)));
  const began = performance.now();
  const child = spawn(command[0]!, args, { cwd, env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    while (performance.now() - began < TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode} before answering`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return { wall: performance.now() - began, cpu: cpuMs(child.pid!) };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(`${command.join(' ')} did not answer within ${TIMEOUT_MS} ms`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(argv: string[]): Promise<void> {
  const split = argv.indexOf('--');
  const { values } = parseArgs({ args: split < 0 ? argv : argv.slice(0, split), options: { runs: { type: 'string', default: '5' }, cwd: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || split < 0) {
    console.log(USAGE);
    return;
  }
  const commands: string[][] = [[]];
  for (const arg of argv.slice(split + 1)) {
    if (arg === '--') commands.push([]);
    else commands.at(-1)!.push(arg);
  }
  const cwd = resolve(values.cwd ?? '.');
  const runs = Number(values.runs);
  const results = commands.map(() => [] as Array<{ wall: number; cpu: number | undefined }>);
  for (let run = 0; run < runs; run++) {
    for (const [i, command] of commands.entries()) results[i]!.push(await startOnce(command, cwd));
  }
  for (const [i, command] of commands.entries()) {
    console.log(command.join(' '));
    console.log(`  spawn → /healthz 200: ${summary(results[i]!.map((r) => r.wall))}`);
    const cpu = results[i]!.map((r) => r.cpu).filter((c) => c !== undefined);
    if (cpu.length > 0) console.log(`  CPU time by then:     ${summary(cpu)}`);
  }
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${values.map((v) => Math.round(v)).join(', ')} ms; median ${Math.round(median)} ms, range ${Math.round(sorted[0]!)}–${Math.round(sorted.at(-1)!)} ms`;
}

await main(process.argv.slice(2));
