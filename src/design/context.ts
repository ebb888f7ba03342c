// What every section needs to know about this project, derived once: its layout (where new
// files go), the domain noun the session talks about, the participants' names in diagrams,
// and the assumption log that the Context section prints.
import type { Entrypoint, LibraryUse, Transport } from '../types.js';
import type { Citer } from './cite.js';
import type { CapacityResult, Coalesced, ResolvedInputs } from './capacity.js';
import type { PlanInput, Scenario } from './types.js';
import { cmp } from './md.js';

export interface Layout {
  ext: 'ts' | 'js';
  serverEntry: string | null;
  serverDir: string;
  clientEntry: string | null;
  clientDir: string | null;
  /**
   * A real-time server is here and nothing in the repository is a client of it (no client entry,
   * no client library, no UI framework or component file): its clients live elsewhere, so the plan
   * proposes no client file.
   */
  clientsElsewhere?: boolean;
  /** Extension of new client modules: the client entry's own language (plain JS served as-is takes no TypeScript). */
  clientExt?: 'ts' | 'js';
  /** Directory for new server-side real-time modules. */
  realtimeDir: string;
  framework: string | null;
}

export interface DesignCtx {
  input: PlanInput;
  scenarios: Scenario[];
  transport: Transport;
  library: string | null;
  /** Library whose documentation applies: the chosen one, else the transport's own notes. */
  docLibrary: string;
  libraryUse: LibraryUse | null;
  layout: Layout;
  entity: string;
  voiceProviders: string[];
  /** coalesced: the load the plan designs where its steps coalesce the broadcasts (the fleet is sized for it). */
  capacity: ResolvedInputs & { result: CapacityResult; coalesced?: Coalesced | null };
  hasRealtime: boolean;
  /** Voice only: clients talk to the provider directly; our server only mints tokens. */
  providerDirect: boolean;
  labels: { client: string; server: string };
  cite: Citer;
  assume(md: string): void;
}

const SERVER_KINDS = new Set(['socket-server', 'ws-server', 'sse-endpoint', 'token-route']);
const CLIENT_KINDS = new Set(['socket-client', 'ws-client', 'sse-client', 'provider-client', 'webrtc-peer']);
const SERVER_GUESSES = [
  'src/server.ts',
  'src/server.js',
  'server.ts',
  'server.js',
  'src/index.ts',
  'src/index.js',
  'src/app.ts',
  'src/app.js',
  'app.js',
  'index.js',
  'src/main.ts',
];
/** Packages that mean the repository holds a user interface, hence the clients. */
const UI_PACKAGES = new Set([
  'next',
  '@sveltejs/kit',
  'nuxt',
  'react',
  'react-dom',
  'vue',
  'svelte',
  'vite',
  '@angular/core',
  'solid-js',
  'preact',
  'expo',
  'react-native',
]);
const FRAMEWORKS = ['next', 'fastify', '@nestjs/core', 'express', 'koa', 'hono', '@sveltejs/kit', 'nuxt', 'react', 'vue', 'svelte'];

export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

export function join(dir: string, file: string): string {
  return dir === '' ? file : `${dir}/${file}`;
}

function firstEntry(entrypoints: Entrypoint[], kinds: Set<string>): string | null {
  const sorted = [...entrypoints].sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
  return sorted.find((e) => kinds.has(e.kind))?.file ?? null;
}

export function detectLayout(input: PlanInput): Layout {
  const { project, stack } = input.analysis;
  const files = project.sourceFiles;
  const names = new Set(stack.frameworks.map((f) => f.name));
  const framework = FRAMEWORKS.find((f) => names.has(f)) ?? null;
  const nextRoute = framework === 'next' ? (files.find((f) => /(^|\/)app\/api\/.*route\.[cm]?[jt]s$/.test(f)) ?? null) : null;
  const serverEntry =
    firstEntry(stack.entrypoints, SERVER_KINDS) ??
    nextRoute ??
    SERVER_GUESSES.find((g) => files.includes(g)) ??
    files.find((f) => /(^|\/)(server|api|backend)\/.*\b(index|main|server|app)\.[cm]?[jt]s$/.test(f)) ??
    null;
  const uiClient = [...stack.entrypoints].sort((a, b) => cmp(a.file, b.file)).find((e) => CLIENT_KINDS.has(e.kind) && /\.(tsx|jsx|vue|svelte)$/.test(e.file));
  const clientEntry =
    uiClient?.file ?? firstEntry(stack.entrypoints, CLIENT_KINDS) ?? files.find((f) => /\.(tsx|jsx|vue|svelte)$/.test(f) && !f.includes('.test.')) ?? null;
  const serverDir = serverEntry ? dirOf(serverEntry) : files.some((f) => f.startsWith('src/')) ? 'src' : '';
  // Next.js keeps route handlers under app/; shared server modules go to lib/.
  // A client-only app (Vite, CRA) gets a separate server/ folder so secrets never enter the bundle.
  const clientOnly = !serverEntry && (clientEntry !== null || names.has('vite') || names.has('react'));
  const realtimeDir =
    framework === 'next'
      ? files.some((f) => f.startsWith('src/'))
        ? 'src/lib/realtime'
        : 'lib/realtime'
      : clientOnly
        ? 'server/realtime'
        : realtimeHome(serverDir);
  const clientsElsewhere =
    firstEntry(stack.entrypoints, SERVER_KINDS) !== null &&
    clientEntry === null &&
    !stack.libraries.some((l) => l.role === 'client') &&
    !stack.frameworks.some((f) => UI_PACKAGES.has(f.name));
  const jsFile = (f: string) => /\.[cm]?jsx?$/.test(f);
  return {
    // New server modules and tests take the server entry's own language: a JavaScript server
    // next to a TypeScript client gets no .ts files it could not run.
    ext: serverEntry ? (jsFile(serverEntry) ? 'js' : 'ts') : project.typescript ? 'ts' : 'js',
    serverEntry,
    serverDir,
    clientEntry,
    clientDir: clientEntry ? dirOf(clientEntry) : null,
    clientExt: clientEntry && jsFile(clientEntry) ? 'js' : project.typescript ? 'ts' : 'js',
    realtimeDir,
    framework,
    ...(clientsElsewhere ? { clientsElsewhere } : {}),
  };
}

/** URL path of the SSE stream: a Next.js route file maps to its path, else the conventional /events. */
export function streamPath(layout: Layout): string {
  const m = layout.framework === 'next' && layout.serverEntry ? /(?:^|\/)app(\/.*)\/route\.[cm]?[jt]s$/.exec(layout.serverEntry) : null;
  return m?.[1] ?? '/events';
}

/** A folder already named for real-time code is reused; otherwise realtime/ next to the source root. */
function realtimeHome(serverDir: string): string {
  const last = serverDir.split('/').pop() ?? '';
  if (/^(websockets?|ws|realtime|sockets?|io|sse)$/i.test(last)) return serverDir;
  const src = /^(.*?(?:^|\/)src)(?:\/|$)/.exec(serverDir);
  return join(src?.[1] ?? serverDir, 'realtime');
}

/** Domain nouns the session may talk about; the most frequent becomes the subscription entity. */
const ENTITY_WORDS = [
  'agent',
  'workspace',
  'document',
  'board',
  'room',
  'channel',
  'conversation',
  'project',
  'ticket',
  'order',
  'dashboard',
  'device',
  'job',
  'build',
  'game',
  'canvas',
  'pipeline',
  'issue',
  'sensor',
  'portfolio',
  'match',
];

/**
 * Prefixes of event names that name plumbing, not a domain object ("sys:ping", "connection:ok",
 * "chat:message"): never an entity.
 */
const NOT_ENTITY = new Set([
  'sys',
  'system',
  'app',
  'connection',
  'socket',
  'ws',
  'client',
  'server',
  'error',
  'errors',
  'ping',
  'pong',
  'heartbeat',
  'auth',
  'session',
  'user',
  'users',
  'presence',
  'typing',
  'cursor',
  'cursors',
  'message',
  'messages',
  'msg',
  'chat',
  'event',
  'events',
  'data',
  'update',
  'updates',
  'state',
  'sync',
  'stream',
  'response',
  'request',
  'input',
  'output',
  'conversation',
]);

/** Domains of the project's own events ("note:edit", "note.patched" → note), most used first. */
function eventDomains(input: PlanInput): string[] {
  const counts = new Map<string, number>();
  for (const e of input.analysis.events) {
    if (e.protocol) continue;
    const m = /^([a-z]{3,20})[:./]/.exec(e.name);
    if (!m || NOT_ENTITY.has(m[1]!)) continue;
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([w]) => w);
}

export function detectEntity(input: PlanInput): string {
  const text = [input.task.replace(/-/g, ' '), ...input.sessions.docs.map((d) => d.body)]
    .join('\n')
    .toLowerCase()
    // "in order" and "out of order" talk about sequencing, not about an order entity.
    .replace(/\b(?:in|out of)[ -]order\b/g, ' ');
  // The project's own event domains are candidates too ("note:edit" in a notes app whose
  // session says "note" throughout); one the session never names still beats a placeholder.
  const domains = eventDomains(input);
  // A word the session only uses for credentials ("tickets are valid for 30 s, one use") names no
  // domain object: it does not count when every sentence naming it is about a credential's life.
  const sentences = text.split(/(?<=[.;!?])\s+/);
  const credential = /\b(valid for|one[- ]use|single[- ]use|expires? (?:after|in)|short-lived)\b/;
  const countOf = (word: string): number => {
    const re = new RegExp(`\\b${word}s?\\b`, 'g');
    const one = new RegExp(`\\b${word}s?\\b`);
    const naming = sentences.filter((x) => one.test(x));
    if (naming.length > 0 && naming.every((x) => credential.test(x))) return 0;
    return (text.match(re) ?? []).length;
  };
  // What the session says users watch, follow or subscribe to ("each browser watches symbols") names the entity too.
  const followed = [
    ...text.matchAll(
      /\b(?:watch(?:es|ing)?|follow(?:s|ing)?|subscrib(?:e|es|ing) to)\s+(?:(?:individual|specific|their|its|the|a few|several|many|up to \d+)\s+)?([a-z]{3,})\b/g,
    ),
  ]
    .map((m) => m[1]!.replace(/(?:ies)$/, 'y').replace(/s$/, ''))
    .filter(
      (w) =>
        !/^(?:the|a|an|it|them|one|two|all|every|each|any|some|more|other|those|these|this|that|changes?|update|event|message|channel|topic|stream|feed|for|out|over)$/.test(
          w,
        ),
    );
  let best: { word: string; count: number } | null = null;
  for (const word of [...new Set([...ENTITY_WORDS, ...domains, ...followed])]) {
    const count = countOf(word);
    if (count > 0 && (best === null || count > best.count)) best = { word, count };
  }
  return best?.word ?? domains[0] ?? 'resource';
}

export function participantLabels(input: PlanInput, layout: Layout, library: string, version: string | null): { client: string; server: string } {
  const fw = input.analysis.stack.frameworks.map((f) => f.name);
  const ui = fw.includes('react')
    ? 'React UI'
    : fw.includes('vue')
      ? 'Vue UI'
      : fw.includes('svelte')
        ? 'Svelte UI'
        : fw.includes('next')
          ? 'Next.js UI'
          : 'Web client';
  const client = layout.clientEntry ? `${ui} (${layout.clientEntry})` : ui;
  const lib = `${library}${version ? ` ${version}` : ''}`;
  const server = layout.serverEntry ? `${lib} server (${layout.serverEntry})` : `${lib} server (new)`;
  return { client, server };
}

/** Which voice providers the plan covers: detected ones, else ones the session names. */
export function voiceProviders(input: PlanInput): string[] {
  const known = ['openai-realtime', 'gemini-live', 'livekit'];
  const detected = input.analysis.stack.providers.filter((p) => known.includes(p));
  if (detected.length > 0) return [...detected].sort();
  const text = input.sessions.docs.map((d) => d.body).join('\n');
  const named: string[] = [];
  if (/\bopenai\b|\bgpt-4o\b|\brealtime api\b/i.test(text)) named.push('openai-realtime');
  if (/\bgemini\b/i.test(text)) named.push('gemini-live');
  if (/\blivekit\b/i.test(text)) named.push('livekit');
  return named;
}

/**
 * Voice with the provider reached directly, in a repository that has no server of its own (and
 * is not the client of someone else's) and whose code authenticates nothing but a provider key:
 * rt-plan sees no user sign-in the token route could check, so the plan must not assume a session.
 */
export function noSignInFound(ctx: Pick<DesignCtx, 'providerDirect' | 'layout' | 'input'>): boolean {
  const { findings, stack } = ctx.input.analysis;
  return (
    ctx.providerDirect &&
    !ctx.layout.serverEntry &&
    !findings.some((f) => f.id === 'client-only') &&
    stack.auth.every((a) => a.kind === 'api-key-in-client' || a.kind === 'none')
  );
}

/** What the browser's token request carries, for diagrams: the session, or, with no sign-in found, nothing but its Origin. */
export function tokenRequestMd(ctx: Pick<DesignCtx, 'providerDirect' | 'layout' | 'input'>, method: 'POST' | 'GET'): string {
  return noSignInFound(ctx) ? `${method} token (no sign-in: Origin checked, per-IP limit)` : `${method} token (session cookie)`;
}
