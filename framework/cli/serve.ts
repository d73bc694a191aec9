/** `vitrine serve`: serves the modules' Interfaces and says where. */
import { relative, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '../index.ts';
import type { MountArg } from './args.ts';

export interface ServeCommand {
  mounts: MountArg[];
  port: number | undefined;
  host: string | undefined;
  /** Pages get the live-reload script; set on the server `--reload` restarts. */
  liveReload: boolean;
  /** Each app is also an MCP server at {prefix}/gradio_api/mcp/. */
  mcp: boolean;
}

/**
 * Starts the server and says where each app is; resolves with the port once it listens (it then
 * runs until SIGTERM or SIGINT, which `serve()` handles).
 *
 * @example
 * await serveApps({ mounts: mountArgs(['app.ts'], process.cwd()), port: 8080, host: undefined, liveReload: false, mcp: false }, console.log);
 */
export async function serveApps(cmd: ServeCommand, say: (line: string) => void): Promise<number> {
  const app = await serve({
    apps: cmd.mounts.map((m) => ({ prefix: m.prefix, module: m.module, exportName: m.exportName })),
    ...(cmd.port === undefined ? {} : { port: cmd.port }),
    ...(cmd.host === undefined ? {} : { host: cmd.host }),
    liveReload: cmd.liveReload,
    mcp: cmd.mcp,
    // The server --reload restarts is a developer's: an app's error shows its message and frames.
    ...(cmd.liveReload ? { development: true } : {}),
    // A restart should not wait for keep-alive clients to hang up: this is a developer's machine.
    ...(cmd.liveReload ? { drainGraceMs: 0 } : {}),
  });
  const { address, port, family } = app.server.address() as AddressInfo;
  const origin = `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  for (const m of cmd.mounts) {
    const url = `${origin}${m.prefix === '/' ? '/' : `${m.prefix}/`}`;
    say(`vitrine: ${shortPath(m.shownAs ?? m.module)} at ${url}${cmd.mcp ? ` (MCP: ${url}gradio_api/mcp/)` : ''}`);
  }
  return port;
}

/** A path under the working directory relative to it, any other as it is. */
function shortPath(path: string): string {
  return path.startsWith(process.cwd() + sep) ? relative(process.cwd(), path) : path;
}
