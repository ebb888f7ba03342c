// A 100-file Next.js-like app for the plan benchmark (issue 14: `rt-plan <task>` ≤ 4× `node -e ''`
// on a 100-file app). Its real-time core is the tracked fixture model-nextjs-ai-sdk (an AI SDK
// chat route and client, copied with `git ls-files`), plus an SSE notifications route and the
// EventSource hook that reads it; the rest is ordinary app code generated here, deterministic,
// that imports itself the way an app does (pages → components → hooks → lib) and reads a few
// environment variables, so the scan meets the gated markers a real app has.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCE = 'test/fixtures/projects/model-nextjs-ai-sdk';
const FEATURES = ['billing', 'projects', 'members', 'settings', 'reports', 'audit', 'search', 'invoices', 'usage', 'integrations'];
const UI = ['button', 'card', 'dialog', 'input', 'select', 'table', 'tabs', 'badge', 'avatar', 'tooltip', 'toast', 'spinner'];

function write(root, rel, text) {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

const uiFile = (name) => `import type { ReactNode } from 'react';

export interface ${cap(name)}Props {
  children?: ReactNode;
  variant?: 'default' | 'muted' | 'danger';
  className?: string;
}

export function ${cap(name)}({ children, variant = 'default', className = '' }: ${cap(name)}Props) {
  return <div className={\`ui-${name} ui-${name}--\${variant} \${className}\`}>{children}</div>;
}
`;

const libFile = (feature) => `import { apiFetch } from './http';

export interface ${cap(feature)}Item {
  id: string;
  name: string;
  updatedAt: string;
}

/** Lists the ${feature} the signed-in account can see, newest first. */
export async function list${cap(feature)}(page = 1): Promise<${cap(feature)}Item[]> {
  const items = await apiFetch<${cap(feature)}Item[]>(\`/api/${feature}?page=\${page}\`);
  return items.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
}

export async function get${cap(feature)}(id: string): Promise<${cap(feature)}Item | null> {
  return apiFetch<${cap(feature)}Item | null>(\`/api/${feature}/\${encodeURIComponent(id)}\`);
}
`;

const hookFile = (feature) => `'use client';

import { useEffect, useState } from 'react';
import { list${cap(feature)}, type ${cap(feature)}Item } from '../lib/${feature}';

export function use${cap(feature)}(page: number) {
  const [items, setItems] = useState<${cap(feature)}Item[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let cancelled = false;
    list${cap(feature)}(page).then((next) => {
      if (!cancelled) setItems(next);
      setLoading(false);
    });
    return () => {
      cancelled = true;
    };
  }, [page]);
  return { items, loading };
}
`;

const componentFile = (feature, ui) => `'use client';

import { ${cap(ui[0])} } from '../ui/${ui[0]}';
import { ${cap(ui[1])} } from '../ui/${ui[1]}';
import { use${cap(feature)} } from '../../hooks/use-${feature}';

export function ${cap(feature)}List({ page }: { page: number }) {
  const { items, loading } = use${cap(feature)}(page);
  if (loading) return <${cap(ui[1])}>Loading ${feature}…</${cap(ui[1])}>;
  return (
    <${cap(ui[0])}>
      {items.map((item) => (
        <a key={item.id} href={\`/${feature}/\${item.id}\`}>
          {item.name}
        </a>
      ))}
    </${cap(ui[0])}>
  );
}
`;

const pageFile = (feature) => `import { ${cap(feature)}List } from '../../../components/${feature}/${feature}-list';

export const metadata = { title: '${cap(feature)}' };

export default async function ${cap(feature)}Page({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const { page } = await searchParams;
  return <${cap(feature)}List page={Number(page ?? 1)} />;
}
`;

const detailFile = (feature) => `import { notFound } from 'next/navigation';
import { get${cap(feature)} } from '../../../../lib/${feature}';

export default async function ${cap(feature)}Detail({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const item = await get${cap(feature)}(id);
  if (!item) notFound();
  return <h1>{item.name}</h1>;
}
`;

const apiFile = (feature) => `import { NextResponse } from 'next/server';
import { currentAccount } from '../../../lib/session';

export async function GET(request: Request) {
  const account = await currentAccount(request);
  if (!account) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });
  const page = Number(new URL(request.url).searchParams.get('page') ?? 1);
  return NextResponse.json({ account: account.id, page, items: [] as string[], kind: '${feature}' });
}
`;

const SHARED = {
  'lib/http.ts': `const BASE = process.env.NEXT_PUBLIC_API_BASE ?? '';

export async function apiFetch<T>(pathname: string): Promise<T> {
  const res = await fetch(\`\${BASE}\${pathname}\`, { credentials: 'include' });
  if (!res.ok) throw new Error(\`\${pathname}: \${res.status}\`);
  return (await res.json()) as T;
}
`,
  'lib/config.ts': `export const config = {
  appName: process.env.NEXT_PUBLIC_APP_NAME ?? 'Docs assistant',
  sentryDsn: process.env.SENTRY_DSN ?? null,
  notificationsPath: '/api/notifications/stream',
};
`,
  'app/api/notifications/stream/route.ts': `import { currentAccount } from '../../../../lib/session';

// Server-sent events: one stream per signed-in tab, a comment line every 15 s keeps proxies from closing it.
export async function GET(request: Request) {
  const account = await currentAccount(request);
  if (!account) return new Response('unauthorised', { status: 401 });
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(\`event: \${event}\\ndata: \${JSON.stringify(data)}\\n\\n\`));
      send('ready', { account: account.id });
      const keepAlive = setInterval(() => controller.enqueue(encoder.encode(': ping\\n\\n')), 15_000);
      request.signal.addEventListener('abort', () => {
        clearInterval(keepAlive);
        controller.close();
      });
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' } });
}
`,
  'hooks/use-notifications.ts': `'use client';

import { useEffect, useState } from 'react';
import { config } from '../lib/config';

export function useNotifications() {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    const source = new EventSource(config.notificationsPath);
    source.addEventListener('notification', () => setUnread((n) => n + 1));
    return () => source.close();
  }, []);
  return unread;
}
`,
};

function cap(s) {
  return s.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase());
}

/** Writes the app into `root` (an empty folder) and returns how many source files it has. */
export function buildAppFixture(repo, root) {
  const tracked = execFileSync('git', ['ls-files', SOURCE], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of tracked) {
    const rel = path.relative(SOURCE, file);
    if (rel === 'expected.json' || rel === 'plan-expect.json') continue;
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    copyFileSync(path.join(repo, file), path.join(root, rel));
  }
  for (const name of UI) write(root, `components/ui/${name}.tsx`, uiFile(name));
  FEATURES.forEach((feature, i) => {
    write(root, `lib/${feature}.ts`, libFile(feature));
    write(root, `hooks/use-${feature}.ts`, hookFile(feature));
    write(root, `components/${feature}/${feature}-list.tsx`, componentFile(feature, [UI[i % UI.length], UI[(i + 5) % UI.length]]));
    write(root, `app/(dashboard)/${feature}/page.tsx`, pageFile(feature));
    write(root, `app/(dashboard)/${feature}/[id]/page.tsx`, detailFile(feature));
    write(root, `app/api/${feature}/route.ts`, apiFile(feature));
    for (let k = 1; k <= 2; k++)
      write(root, `components/${feature}/${feature}-part-${k}.tsx`, uiFile(`${feature}-part-${k}`).replaceAll(`ui-${feature}`, `${feature}`));
  });
  for (const [rel, text] of Object.entries(SHARED)) write(root, rel, text);
  const sources = execFileSync('find', ['.', '-name', '*.ts', '-o', '-name', '*.tsx'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  return sources.length;
}
