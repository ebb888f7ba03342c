// Renders the plan-* and model-* fixture projects through the real pipeline (context, analyzer,
// local docs, design, render) without writing anything, once per test process.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { preparePlan, type PreparedPlan } from '../../src/pipeline.js';
import { silentLogger } from '../../src/io/log.js';
import { NOW } from './inputs.js';

export const PROJECTS = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

/** The fixture projects that carry a session file and are meant to be planned. */
export const PLAN_FIXTURES = readdirSync(PROJECTS)
  .filter((n) => /^(plan|model)-/.test(n))
  .sort();

const cache = new Map<string, Promise<PreparedPlan>>();

export function fixturePlan(name: string, task = name.replace(/^(plan|model)-/, '')): Promise<PreparedPlan> {
  const key = `${name}\0${task}`;
  let p = cache.get(key);
  if (!p) {
    p = preparePlan({
      cwd: path.join(PROJECTS, name),
      task,
      now: NOW,
      contextGlobs: [],
      docs: { mode: 'local', offline: true },
      options: {},
      env: {},
      log: silentLogger,
    });
    cache.set(key, p);
  }
  return p;
}
