// stack.shutdown and stack.shutdownHooks: a signal handler of the project's own is where a drain
// goes; Nest's `app.enableShutdownHooks()` only switches on the framework's lifecycle hooks.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { analyzeProject } from '../../src/analyze/index.js';
import { copyProject } from '../cli/helpers.js';
import { analyzeTree } from './tree.js';

const PROJECTS = path.resolve(import.meta.dirname, '../fixtures/projects');

const IO = JSON.stringify({ name: 'x', dependencies: { 'socket.io': '^4.7.0' } });

describe('stack.shutdownHooks', () => {
  it("marks Nest's enableShutdownHooks() as hooks, not a handler", async () => {
    const a = await analyzeProject(copyProject(path.join(PROJECTS, 'model-nest-gateway')));
    expect([a.stack.shutdown, a.stack.shutdownHooks]).toEqual(['src/main.ts:7', true]);
  });

  it('leaves a process SIGTERM handler unmarked', async () => {
    const a = await analyzeTree({
      'package.json': IO,
      'src/server.js': ["const { Server } = require('socket.io');", 'const io = new Server(3000);', "process.on('SIGTERM', () => io.close());", ''].join('\n'),
    });
    expect([a.stack.shutdown, a.stack.shutdownHooks]).toEqual(['src/server.js:3', undefined]);
  });
});
