// The SDK's own MCP client, connected over stdio to the built `rt-plan mcp`. Every client
// made here is kept in `clients` for the test's afterEach to close.
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, cleanEnv } from './helpers.js';

export const clients: Client[] = [];

export interface ConnectOptions {
  /** Folders the client shares as its roots; none: the client declares no roots capability. */
  roots?: string[];
  /** Arguments after `rt-plan mcp`. */
  args?: string[];
  /** The server's working directory. */
  cwd?: string;
  /** Extra environment of the server process only. */
  env?: Record<string, string>;
}

export async function connect(opts: ConnectOptions = {}): Promise<Client> {
  const client = new Client({ name: 'rt-plan-test', version: '1.0.0' }, { capabilities: opts.roots ? { roots: {} } : {} });
  if (opts.roots) {
    const roots = opts.roots;
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((r) => ({ uri: pathToFileURL(r).href })) }));
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...(opts.args ?? [])],
    env: cleanEnv(opts.env) as Record<string, string>,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    stderr: 'ignore',
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

export const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
