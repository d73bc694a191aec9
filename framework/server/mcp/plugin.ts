/** Every mounted interface as an MCP server at `{prefix}/gradio_api/mcp/` (Gradio's path), its tools described at `…/mcp/schema`; calls take the interface's pipeline. */

// Stateless streamable HTTP: a new server and transport per POST, so replicas need no session
// affinity. Limits, the queue, the bearer token (security.ts counts the route as API) and errors
// are the API's.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isVitrineError } from '../../errors.ts';
import type { ExampleFile } from '../interface-config.ts';
import type { Pipeline } from '../pipeline.ts';
import { describeTool, toolArguments, toolContent } from './tools.ts';

export interface McpPluginOptions {
  pipeline: Pipeline;
  examples: readonly ExampleFile[];
  /** URL prefixes a file argument may point to (`gradio.allowedUrls`); the interface's own examples always may. */
  allowedUrls?: readonly string[] | undefined;
}

/** Where the MCP routes live under an interface's prefix (Gradio's paths). */
export const MCP_PATH = '/gradio_api/mcp/';

/**
 * Registers the MCP routes under the interface's prefix.
 *
 * @example
 * await app.register(mcpPlugin, { pipeline, examples });
 */
export const mcpPlugin: FastifyPluginAsync<McpPluginOptions> = async function mcpPlugin(app, opts) {
  const { pipeline } = opts;
  const iface = pipeline.iface;
  const tool = describeTool(iface);
  const base = app.prefix === '' ? '/' : `${app.prefix}/`;
  const sources = { examples: opts.examples, prefix: base, allowedUrls: (opts.allowedUrls ?? []).map((u) => new URL(u).href) };

  app.get(`${MCP_PATH}schema`, async () => ({ tools: [tool], meta: { file_data_present: iface.inputs.some((i) => i.component.isFile) } }));

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const server = new Server({ name: iface.options.title ?? tool.name, version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [tool] }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      if (request.params.name !== tool.name) return failure(`Unknown tool "${request.params.name}"; this server has "${tool.name}"`);
      const began = performance.now();
      const progressToken = request.params._meta?.progressToken;
      try {
        const { wire, files } = await toolArguments(iface, request.params.arguments ?? {}, sources);
        const item = pipeline.read(wire, files);
        const outputs = await pipeline.run(item, {
          signal: extra.signal,
          log: req.log,
          requestId: String(req.id),
          hooks: {
            onProgress:
              progressToken === undefined
                ? undefined
                : (fraction, message) =>
                    void extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: fraction, total: 1, ...(message ? { message } : {}) } }),
          },
        });
        pipeline.record(200, began);
        return { content: toolContent(iface, outputs) };
      } catch (err) {
        pipeline.record(err, began);
        if (!isVitrineError(err)) {
          req.log.error({ err }, 'MCP tool call failed');
          return failure(`Internal error (request id ${String(req.id)})`);
        }
        return failure(`${err.code}: ${err.message}${err.detail ? `\n${err.detail}` : ''}`);
      }
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    reply.hijack();
    reply.raw.once('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req.raw, reply.raw, req.body);
  };
  app.post(MCP_PATH, handle);
  app.post(MCP_PATH.slice(0, -1), handle);
};

/** A tool error the model can read and act on (MCP's `isError`), never a protocol failure. */
function failure(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
