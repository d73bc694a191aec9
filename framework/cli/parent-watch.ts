/** A server started by npm, npx or `vitrine serve --reload` stops when the process that started it goes away. */

// npm runs a script through `sh -c`, and a SIGTERM to npm ends the shell, not the server (measured
// with npm 11.19: the server kept its port); a supervisor killed with SIGKILL cannot pass anything on.

/** How often the parent is looked at: a stopped server frees its port within this, plus its drain. */
const CHECK_MS = 500;

/**
 * True when the process was started by npm or by the `--reload` supervisor: then its parent's
 * end is its own. A server started by hand (`nohup vitrine serve … &`) outlives its shell.
 *
 * @example
 * if (startedByLauncher()) stopWithParent();
 */
export function startedByLauncher(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_lifecycle_event !== undefined || env.npm_command !== undefined || env.VITRINE_RELOAD_ID !== undefined;
}

/**
 * Sends this process SIGTERM (so `serve()` drains and closes as usual) once its parent has gone,
 * which shows as a new parent id (the process is adopted by init or a subreaper).
 *
 * @example
 * stopWithParent();
 */
export function stopWithParent(intervalMs: number = CHECK_MS): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, intervalMs);
  timer.unref();
}
