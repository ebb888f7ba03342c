// Candidate libraries for the chosen transport (and the runner-up), scored like the
// transports: 0–3 per criterion, "already in the project" counted twice so a working
// dependency is only replaced for a stated reason. The best score of the chosen
// transport becomes the plan's library; a platform API wins as `null`.
import type { LibraryUse, Transport } from '../types.js';
import type { LibraryRow } from './types.js';
import type { DecisionInput } from './transport.js';
import { cmp } from './md.js';
import { TRANSPORTS } from './profiles/transports.js';
import { VOICE, isVoiceProvider } from './profiles/voice.js';

export const LIBRARY_CRITERIA: { name: string; weight: number }[] = [
  { name: 'In the project', weight: 2 },
  { name: 'Fits the stack', weight: 1 },
  { name: 'Built-in features', weight: 1 },
  { name: 'Operational simplicity', weight: 1 },
];

interface Candidate {
  name: string;
  /** True for a platform API: choosing it means no library (`null`). */
  platform?: boolean;
  transport: Transport;
  role: string;
  fitMd: string;
  when?: (d: DecisionInput) => boolean;
  fit: (d: DecisionInput) => number;
  features: number;
  ops: number;
}

const fw = (d: DecisionInput, name: string) => d.input.analysis.stack.frameworks.some((f) => f.name === name);

const CANDIDATES: Candidate[] = [
  {
    name: 'socket.io',
    transport: 'socket.io',
    role: 'server',
    fitMd: 'rooms, namespaces, acks, automatic reconnection, adapters for several nodes; needs its own client',
    fit: (d) => (fw(d, 'next') ? 0 : d.needs.rooms ? 3 : 2),
    features: 3,
    ops: 2,
  },
  {
    name: 'ws',
    transport: 'websocket',
    role: 'server',
    fitMd: 'minimal, fast RFC 6455 server; heartbeat, reconnection and rooms are yours to write',
    fit: (d) => (fw(d, 'next') ? 0 : 2),
    features: 1,
    ops: 3,
  },
  {
    name: '@fastify/websocket',
    transport: 'websocket',
    role: 'server',
    fitMd: 'ws inside Fastify routes: same hooks, auth and logging',
    when: (d) => fw(d, 'fastify'),
    fit: () => 3,
    features: 1,
    ops: 3,
  },
  {
    name: 'y-websocket',
    transport: 'websocket',
    role: 'both',
    fitMd: 'Yjs sync and awareness protocol over ws',
    when: (d) => d.needs.binary && !d.needs.media,
    fit: () => 3,
    features: 3,
    ops: 2,
  },
  {
    name: 'uWebSockets.js',
    transport: 'websocket',
    role: 'server',
    fitMd: 'highest connection density (vendor claim), built-in pub/sub; native addon with its own API, installed from GitHub',
    fit: () => 1,
    features: 2,
    ops: 1,
  },
  {
    name: 'platform SSE',
    platform: true,
    transport: 'sse',
    role: 'server',
    fitMd: '`res.write()` in Express/Fastify or a `ReadableStream` in route handlers: no dependency',
    fit: () => 3,
    features: 1,
    ops: 3,
  },
  {
    name: 'better-sse',
    transport: 'sse',
    role: 'server',
    fitMd: 'SSE sessions and channels with keep-alive built in',
    fit: (d) => (fw(d, 'next') ? 1 : 2),
    features: 2,
    ops: 2,
  },
  {
    name: 'RTCPeerConnection',
    platform: true,
    transport: 'webrtc',
    role: 'client',
    fitMd: 'browser API; OpenAI Realtime recommends WebRTC for browsers',
    fit: () => 3,
    features: 2,
    ops: 1,
  },
  {
    name: 'livekit-client',
    transport: 'webrtc',
    role: 'client',
    fitMd: 'SFU rooms for multi-party audio/video',
    when: (d) => d.input.analysis.stack.providers.some((p) => isVoiceProvider(p) && VOICE[p].agentRunsTools),
    fit: () => 3,
    features: 3,
    ops: 2,
  },
];

function inProject(d: DecisionInput, c: Candidate): number {
  const stack = d.input.analysis.stack;
  if (c.platform)
    return stack.transports.includes(c.transport) && !stack.libraries.some((l) => CANDIDATES.some((x) => x.name === l.name && x.transport === c.transport))
      ? 3
      : 0;
  const deps = new Set(d.input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies)));
  return stack.libraries.some((l) => l.name === c.name) || deps.has(c.name) ? 3 : 0;
}

function scored(d: DecisionInput, c: Candidate): { scores: number[]; total: number } {
  const scores = [inProject(d, c), c.fit(d), c.features, c.ops];
  return { scores, total: scores.reduce((sum, s, i) => sum + s * LIBRARY_CRITERIA[i]!.weight, 0) };
}

/** The library for `transport`: the best-scored applicable candidate; null for a platform API. */
export function pickLibrary(d: DecisionInput, transport: Transport): { library: string | null; use: LibraryUse | null } {
  const libs = [...d.input.analysis.stack.libraries].sort((a, b) => cmp(a.name, b.name));
  if (d.voiceOnly) {
    // The provider's SDK (or the browser API) carries the session; there is no server library to pick.
    // On a wire the browser opens itself, the server's SDK (which only mints secrets) carries nothing.
    const sdk = libs.find((l) => l.kind === 'provider' && !(TRANSPORTS[transport].browserOpens && l.role === 'server'));
    return { library: sdk?.name ?? null, use: sdk ?? null };
  }
  if (TRANSPORTS[transport].noLibrary) return { library: null, use: null };
  let best: { c: Candidate; total: number } | null = null;
  for (const c of CANDIDATES) {
    if (c.transport !== transport || (c.when && !c.when(d))) continue;
    const { total } = scored(d, c);
    if (best === null || total > best.total) best = { c, total };
  }
  if (!best || best.c.platform) return { library: null, use: null };
  return { library: best.c.name, use: libs.find((l) => l.name === best.c.name) ?? null };
}

export function libraryRows(d: DecisionInput, shortlist: Set<Transport>, library: string | null, transport: Transport): LibraryRow[] {
  // Voice only: the provider's SDK owns the session protocol, so it leads the table.
  const sdk: LibraryRow[] =
    d.voiceOnly && library !== null
      ? [
          {
            name: library,
            role: 'client',
            fitMd: "the voice provider's SDK, already in the project: it owns the session protocol",
            scores: [3, 3, 2, 3],
            total: 14,
            chosen: true,
          },
        ]
      : [];
  // The SDK row already stands for its candidate (livekit-client): list each library once.
  const listed = new Set(sdk.map((r) => r.name));
  return sdk.concat(
    CANDIDATES.filter((c) => !listed.has(c.name) && ((shortlist.has(c.transport) && (c.when ? c.when(d) : true)) || c.name === library)).map((c) => ({
      name: c.name,
      role: c.role,
      fitMd: c.fitMd,
      ...scored(d, c),
      chosen: c.name === library || (library === null && c.platform === true && c.transport === transport),
    })),
  );
}
