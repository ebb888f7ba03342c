// SVG/PNG rendering in one headless Chromium session: one browser, one page, mermaid
// loaded once, every diagram rendered in turn. Launching a browser per diagram (what
// separate `mmdc` runs do) costs most of a second each. Mermaid's deterministicIds, reset
// before each diagram, make the SVG bytes depend only on the diagram and its position.

import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { InputError, RtPlanError, describeError } from '../errors.js';

export { linkImages } from './link-images.js';

export type ImageFormat = 'svg' | 'png';
type Env = Record<string, string | undefined>;

const ENV_VARS = ['PUPPETEER_EXECUTABLE_PATH', 'CHROME_PATH'] as const;
const LINUX_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
const MACOS_PATHS = ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];
/** Where Chrome or Chromium usually is on this platform, in the order they are tried. */
export function systemBrowserPaths(platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'darwin' ? [...MACOS_PATHS, ...LINUX_PATHS] : LINUX_PATHS;
}
const SYSTEM_PATHS = systemBrowserPaths();

/** Chromium refuses to run as root without --no-sandbox; the rest keep it off the network. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable browser among the environment variables and the usual paths. A
 * browser named in the environment must be used or the run must fail: silently rendering
 * with another one would make CI output depend on which Chromium happened to be installed.
 */
export function findBrowser(env: Env, systemPaths: readonly string[] = SYSTEM_PATHS): string | null {
  for (const name of ENV_VARS) {
    const value = env[name];
    if (value) return executable(value) ? value : null;
  }
  return systemPaths.find(executable) ?? null;
}

export function noBrowserError(env: Env): InputError {
  const set = ENV_VARS.filter((name) => env[name]).map((name) => `${name}=${env[name]} is not an executable file`);
  return new InputError(`no Chromium found to render diagrams${set.length > 0 ? ` (${set.join('; ')})` : ''}`, {
    hint:
      'install one (Debian/Ubuntu: apt-get install chromium; macOS: Google Chrome) or set PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium binary; ' +
      `looked in ${[...ENV_VARS, ...SYSTEM_PATHS].join(', ')}`,
  });
}

/**
 * puppeteer-core is an optional dependency (no browser download at install): a user who
 * installed without optional dependencies gets the one command that fixes it.
 */
async function loadPuppeteer() {
  try {
    return (await import('puppeteer-core')).default;
  } catch (cause) {
    // ERR_MODULE_NOT_FOUND from import(); MODULE_NOT_FOUND where the CommonJS bundle requires it.
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw cause;
    throw new InputError('--render needs the puppeteer-core package, which is not installed', {
      hint: 'npm install puppeteer-core@24 next to rt-plan (it downloads no browser; rt-plan uses the system Chrome or Chromium)',
      cause,
    });
  }
}

async function screenshot(page: Page, svg: string, i: number): Promise<Buffer> {
  await page.evaluate((markup: string) => {
    document.body.innerHTML = markup;
  }, svg);
  const element = await page.$('body > svg');
  if (element === null) throw new RtPlanError(`diagram ${i + 1} produced no SVG element`);
  return Buffer.from(await element.screenshot({ type: 'png', omitBackground: false }));
}

interface BrowserSide {
  mermaid: {
    initialize(config: Record<string, unknown>): void;
    render(id: string, text: string): Promise<{ svg: string }>;
  };
}

export async function renderDiagrams(
  diagrams: { source: string }[],
  opts: { format: ImageFormat; env: Env; onProgress?: (i: number, n: number) => void },
): Promise<Buffer[]> {
  if (diagrams.length === 0) return [];
  const executablePath = findBrowser(opts.env);
  if (executablePath === null) throw noBrowserError(opts.env);

  const mermaidBundle = await readFile(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8');
  const puppeteer = await loadPuppeteer();
  let browser;
  try {
    browser = await puppeteer.launch({ executablePath, headless: true, args: BROWSER_ARGS });
  } catch (cause) {
    throw new InputError(`cannot start ${executablePath}: ${describeError(cause)}`, {
      hint: 'check that the browser runs (`chromium --version`), or point PUPPETEER_EXECUTABLE_PATH at another one',
      cause,
    });
  }
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 800, deviceScaleFactor: opts.format === 'png' ? 2 : 1 });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: mermaidBundle });

    const out: Buffer[] = [];
    for (const [i, diagram] of diagrams.entries()) {
      let svg: string;
      try {
        svg = await page.evaluate(
          async (source: string, id: string) => {
            const { mermaid } = window as unknown as BrowserSide;
            // A fresh initialize resets the id counter, so each diagram's ids are independent of
            // the others. Shapes are drawn with rough.js, which calls Math.random even in the
            // classic look: a seeded generator, reset per diagram, keeps the path bytes stable.
            let state = 0x9e3779b9;
            Math.random = () => {
              state = (state + 0x6d2b79f5) | 0;
              let t = Math.imul(state ^ (state >>> 15), 1 | state);
              t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
              return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
            };
            mermaid.initialize({
              startOnLoad: false,
              securityLevel: 'strict',
              deterministicIds: true,
              deterministicIDSeed: id,
              handDrawnSeed: 1,
            });
            return (await mermaid.render(id, source)).svg;
          },
          diagram.source,
          `diagram-${i + 1}`,
        );
      } catch (cause) {
        throw new RtPlanError(`diagram ${i + 1} could not be rendered: ${describeError(cause).split('\n')[0]}`, { exitCode: 1, cause });
      }
      out.push(opts.format === 'svg' ? Buffer.from(svg, 'utf8') : await screenshot(page, svg, i));
      opts.onProgress?.(i + 1, diagrams.length);
    }
    return out;
  } finally {
    await browser.close();
  }
}
