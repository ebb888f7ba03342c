// The Handlebars environment: a private instance (never the global one), the shipped plan
// layout and partials, and per-project overrides from .claude/templates/rt-plan/.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, promises as fs } from 'node:fs';
import { readLimitedText } from '../shared/read-limited.js';
import { guardEnvironment, RenderBudgetError } from './budget.js';
import path from 'node:path';
import type Handlebars from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime';
import { createRequire } from 'node:module';
import { InputError, describeError } from '../errors.js';
import type { Warning } from '../types.js';
import { helpers } from './helpers.js';
import { packagePath } from '../paths.js';

const TEMPLATES_DIR = packagePath('templates');
export const OVERRIDES_DIR = '.claude/templates/rt-plan';
const MAIN = 'plan.md';
const MAX_TEMPLATE_BYTES = 256 * 1024;

/** name → source. `plan.md` is the layout; every other name is a partial. */
export type TemplateSet = Map<string, string>;

export interface LoadedTemplates {
  templates: TemplateSet;
  /** Names taken from the project instead of rt-plan. */
  overridden: string[];
  warnings: Warning[];
}

function loadShippedTemplates(): TemplateSet {
  const set: TemplateSet = new Map();
  set.set(MAIN, readFileSync(path.join(TEMPLATES_DIR, `${MAIN}.hbs`), 'utf8'));
  const partialsDir = path.join(TEMPLATES_DIR, 'partials');
  for (const file of readdirSync(partialsDir).sort()) {
    if (file.endsWith('.hbs')) set.set(file.slice(0, -4), readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  return set;
}

/** The shipped templates with the project's overrides on top. Only known names may be overridden. */
export async function loadTemplates(root: string): Promise<LoadedTemplates> {
  const templates = loadShippedTemplates();
  const overridden: string[] = [];
  const warnings: Warning[] = [];
  const dir = path.join(root, OVERRIDES_DIR);
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const realRoot = await fs.realpath(root);
  for (const file of entries.sort()) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -4);
    const rel = `${OVERRIDES_DIR}/${file}`;
    if (!templates.has(name)) {
      warnings.push({ file: rel, message: `no template named "${name}" to override; ignored` });
      continue;
    }
    const read = await readOverride(realRoot, path.join(dir, file));
    if ('problem' in read) {
      warnings.push({ file: rel, message: `${read.problem}; ignored` });
      continue;
    }
    templates.set(name, read.source);
    overridden.push(name);
  }
  return { templates, overridden, warnings };
}

async function readOverride(realRoot: string, abs: string): Promise<{ source: string } | { problem: string }> {
  const read = await readLimitedText(abs, { maxBytes: MAX_TEMPLATE_BYTES, within: realRoot });
  return read.ok ? { source: read.text } : { problem: read.reason };
}

/**
 * Lower-case letters, digits, '.' and '-' sort the same by code unit as by localeCompare (ICU's
 * root order puts '-' < '.' < digits < letters, like ASCII); the first localeCompare call
 * loads ICU's collator, which was about 3% of the plan command.
 */
const ASCII_ORDERED = /^[a-z0-9.-]+$/;

export function byTemplateName(a: string, b: string): number {
  if (ASCII_ORDERED.test(a) && ASCII_ORDERED.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

/** sha256 of each template's source, so a plan can record which templates made it. */
export function templateHashes(templates: TemplateSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, source] of [...templates].sort(([a], [b]) => byTemplateName(a, b))) {
    out[name] = sourceHash(source);
  }
  return out;
}

export interface RenderOptions {
  templates?: TemplateSet;
  overridden?: string[];
  frontmatter: string;
}

type Spec = { hash: string; spec: TemplateSpecification };
const lazyRequire = createRequire(import.meta.url);
let precompiledCache: Record<string, Spec> | null | undefined;
/**
 * dist/cli.cjs carries the precompiled templates inside it (scripts/build.mjs defines this
 * name there), so their code is in its V8 code cache; elsewhere the name is undefined.
 */
declare const RT_PLAN_PRECOMPILED: Record<string, Spec> | undefined;

/** The shipped templates as precompiled by scripts/build.mjs, or null in a source checkout. */
function precompiled(): Record<string, Spec> | null {
  if (precompiledCache === undefined && typeof RT_PLAN_PRECOMPILED !== 'undefined') precompiledCache = RT_PLAN_PRECOMPILED;
  if (precompiledCache === undefined) {
    try {
      precompiledCache = (lazyRequire(packagePath('dist', 'precompiled-templates.cjs')) as { precompiled: Record<string, Spec> }).precompiled;
    } catch {
      precompiledCache = null;
    }
  }
  return precompiledCache;
}

export function renderPlan(plan: unknown, options: RenderOptions): string {
  const templates = options.templates ?? loadShippedTemplates();
  const overridden = new Set(options.overridden ?? []);
  const specs = precompiled();
  // The runtime alone runs precompiled templates; the compiler (and its source-map
  // dependency) loads only for a project override or a template edited since the build.
  const ready = new Map<string, TemplateSpecification>();
  for (const [name, source] of templates) {
    const spec = specs?.[name];
    if (spec && spec.hash === sourceHash(source)) ready.set(name, spec.spec);
  }
  const hbs = ready.size < templates.size ? (lazyRequire('handlebars') as typeof Handlebars).create() : HandlebarsRuntime.create();
  for (const [name, fn] of Object.entries(helpers)) hbs.registerHelper(name, fn);
  const budgeted = guardEnvironment(hbs as typeof Handlebars);
  const load = (name: string, source: string): HandlebarsTemplateDelegate => {
    const spec = ready.get(name);
    if (spec) return hbs.template(spec);
    try {
      hbs.parse(source); // compile() is lazy; surface syntax errors here, with the file's name
      return hbs.compile(source, { strict: false, noEscape: false });
    } catch (error) {
      throw templateError(name, overridden.has(name), error);
    }
  };
  for (const [name, source] of templates) {
    if (name !== MAIN) hbs.registerPartial(name, budgeted(load(name, source)));
  }
  const main = load(MAIN, templates.get(MAIN) ?? '');
  try {
    return tidy(main({ plan, frontmatter: options.frontmatter }));
  } catch (error) {
    const blame = [...overridden][0];
    if (error instanceof RenderBudgetError) {
      throw new InputError(`${blame ? `template ${OVERRIDES_DIR}/${blame}.hbs: ` : ''}${error.message}`, {
        hint: 'a project template that expands without bound (nested partials or loops) cannot be rendered',
      });
    }
    throw blame ? templateError(blame, true, error) : error;
  }
}

function sourceHash(source: string): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}

function templateError(name: string, fromProject: boolean, error: unknown): Error {
  const where = fromProject ? `${OVERRIDES_DIR}/${name}.hbs` : `templates/${name}.hbs`;
  const message = `template ${where}: ${describeError(error).split('\n').slice(0, 3).join(' ')}`;
  // A broken project override is bad input; a broken shipped template is our bug.
  return fromProject ? new InputError(message, { cause: error }) : new Error(message, { cause: error });
}

/** Collapse runs of blank lines left by template logic; keep fenced blocks as written. */
function tidy(markdown: string): string {
  const out: string[] = [];
  let fence = false;
  let blank = 0;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const isBlank = !fence && line.trim() === '';
    blank = isBlank ? blank + 1 : 0;
    if (blank <= 1) out.push(fence ? line : line.replace(/[ \t]+$/, ''));
  }
  return `${out.join('\n').trim()}\n`;
}
