import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser, linkImages, noBrowserError, renderDiagrams, systemBrowserPaths } from '../../src/diagrams/render-svg.js';
import { flowchart, sequenceDiagram, stateDiagram } from '../../src/diagrams/builders.js';

describe('findBrowser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rt-plan-browser-'));
    await writeFile(path.join(dir, 'chrome'), '#!/bin/sh\n');
    await chmod(path.join(dir, 'chrome'), 0o755);
    await writeFile(path.join(dir, 'not-executable'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prefers PUPPETEER_EXECUTABLE_PATH, then CHROME_PATH, then the system paths', () => {
    const chrome = path.join(dir, 'chrome');
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: chrome, CHROME_PATH: '/nope' }, [])).toBe(chrome);
    expect(findBrowser({ CHROME_PATH: chrome }, [])).toBe(chrome);
    expect(findBrowser({}, ['/nope', chrome])).toBe(chrome);
    // A browser named in the environment that is not there is an error, never a silent fallback.
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nope', CHROME_PATH: chrome }, [chrome])).toBeNull();
    expect(findBrowser({ CHROME_PATH: path.join(dir, 'not-executable') }, [])).toBeNull();
  });

  it('explains how to get a browser when none is found (exit 3)', () => {
    const error = noBrowserError({ PUPPETEER_EXECUTABLE_PATH: '/opt/none' });
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('no Chromium found to render diagrams (PUPPETEER_EXECUTABLE_PATH=/opt/none is not an executable file)');
    expect(error.hint).toContain('apt-get install chromium');
    expect(error.hint).toContain('PUPPETEER_EXECUTABLE_PATH');
  });
});

describe('linkImages', () => {
  const md = [
    '# Plan',
    '```mermaid',
    '---',
    'title: "Join [room]"',
    '---',
    'sequenceDiagram',
    '  A->>B: x',
    '```',
    'text',
    '```mermaid',
    'flowchart LR',
    '  a --> b',
    '```',
    '',
  ].join('\n');

  it('puts each image under its block, titled from the diagram', () => {
    const names = ['websocket-realtime-chat/diagram-1.svg', 'websocket-realtime-chat/diagram-2.svg'];
    const linked = linkImages(md, names);
    expect(linked).toBe(
      [
        '# Plan',
        '```mermaid',
        '---',
        'title: "Join [room]"',
        '---',
        'sequenceDiagram',
        '  A->>B: x',
        '```',
        '',
        '![Join \\[room\\]](websocket-realtime-chat/diagram-1.svg)',
        'text',
        '```mermaid',
        'flowchart LR',
        '  a --> b',
        '```',
        '',
        '![Diagram 2](websocket-realtime-chat/diagram-2.svg)',
        '',
      ].join('\n'),
    );
    expect(linkImages(linked, names)).toBe(linked);
  });

  it('refuses a name list that does not match the blocks', () => {
    expect(() => linkImages(md, ['one.svg'])).toThrow('linkImages: 1 image names for 2 mermaid blocks');
  });
});

const browser = findBrowser(process.env);
const canRender = browser !== null || Boolean(process.env['CI']);
if (!canRender) console.log('render tests skipped: no Chromium found and not in CI (apt-get install chromium)');

describe.skipIf(!canRender)('renderDiagrams with a real Chromium', () => {
  const diagrams = [
    flowchart('Architecture', {
      nodes: [
        { key: 'c', label: 'BrowserClient', shape: 'round' },
        { key: 's', label: 'SocketServer' },
        { key: 'r', label: 'RedisAdapter', shape: 'queue' },
      ],
      edges: [
        { from: 'c', to: 's', label: 'websocket' },
        { from: 's', to: 'r', style: 'dashed' },
      ],
    }),
    stateDiagram('Lifecycle', {
      states: [
        { key: 'a', label: 'Connecting' },
        { key: 'b', label: 'Connected' },
      ],
      initial: 'a',
      transitions: [{ from: 'a', to: 'b', label: 'handshake' }],
      final: ['b'],
    }),
    sequenceDiagram('Join', {
      participants: [
        { key: 'u', label: 'Alice', actor: true },
        { key: 's', label: 'Server' },
      ],
      steps: [{ kind: 'message', from: 'u', to: 's', text: 'joinRoom "general"' }],
    }),
  ];
  const labels = [
    ['BrowserClient', 'SocketServer', 'RedisAdapter', 'websocket'],
    ['Connecting', 'Connected', 'handshake'],
    ['Alice', 'Server', 'joinRoom'],
  ];

  it('renders every diagram to SVG in one session, byte-identical across runs', async () => {
    const progress: string[] = [];
    const first = await renderDiagrams(diagrams, { format: 'svg', env: process.env, onProgress: (i, n) => progress.push(`${i}/${n}`) });
    const second = await renderDiagrams(diagrams, { format: 'svg', env: process.env });
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(first).toHaveLength(3);
    first.forEach((svg, i) => {
      const text = svg.toString('utf8');
      expect(text.startsWith('<svg')).toBe(true);
      expect(text).toContain(`id="diagram-${i + 1}"`);
      for (const label of labels[i]!) expect(text).toContain(label);
      expect(svg.equals(second[i]!)).toBe(true);
    });
    // Two Chromium sessions: on a loaded 2-core machine they take longer than the 30 s default.
  }, 120_000);

  it('renders PNG', async () => {
    const [png] = await renderDiagrams(diagrams.slice(0, 1), { format: 'png', env: process.env });
    expect(png!.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  }, 120_000);
});

describe('systemBrowserPaths', () => {
  it('looks for Google Chrome and Chromium in /Applications on macOS, before the Linux paths', () => {
    expect(systemBrowserPaths('darwin').slice(0, 3)).toEqual([
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/usr/bin/chromium',
    ]);
    expect(systemBrowserPaths('linux')).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/snap/bin/chromium',
    ]);
  });
});
