// `rt-plan mcp`: the planner as Model Context Protocol tools over stdio. stdout carries
// protocol messages only, so anything that would print there (a project template calling
// Handlebars' {{log}}, a stray console.log in a dependency) is sent to stderr first. The SDK
// loads here and nowhere else.
import { consoleToStderr } from '../io/log.js';

export async function runMcp(opts: { cwd?: string; env: NodeJS.ProcessEnv; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }): Promise<number> {
  consoleToStderr();
  const { serveMcp } = await import('../mcp/server.js');
  await serveMcp({
    ...(opts.cwd !== undefined ? { serverCwd: opts.cwd } : {}),
    env: opts.env,
    ...(opts.input ? { input: opts.input } : {}),
    ...(opts.output ? { output: opts.output } : {}),
  });
  return 0;
}
