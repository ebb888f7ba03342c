// The transport decision as a weighted matrix. Scores are 0–3 per option and criterion;
// weights come from this project's needs, and the existing stack weighs most, so the
// matrix keeps what the project uses unless a need it cannot meet outweighs it.
import { platformServesSockets } from './profiles/index.js';
import { TRANSPORTS } from './profiles/transports.js';
import { DEFAULT_VOICE_PROVIDER, VOICE, isVoiceProvider } from './profiles/voice.js';
import { FEATURES, gate } from './profiles/versions.js';
import type { LibraryUse, Transport } from '../types.js';
import type { LibraryRow, MatrixRow, PlanInput } from './types.js';
import type { ScenarioNeeds } from './scenarios/kit.js';
import { MANAGED_PROVIDERS } from './scenarios/kit.js';
import { code, fmt, list, text } from './md.js';
import { LIBRARY_CRITERIA, libraryRows, pickLibrary } from './libraries.js';
import { streamSdk } from './profiles/ai-streams.js';
import { sdkTransport } from './profiles/ai-sdk-ops.js';

export const OPTIONS: readonly Transport[] = ['websocket', 'socket.io', 'sse', 'webrtc', 'long-polling'];
export const OPTION_LABEL: Record<Transport, string> = {
  websocket: 'WebSocket',
  'socket.io': 'Socket.IO',
  sse: 'SSE',
  webrtc: 'WebRTC',
  'long-polling': 'Long-polling',
};

type Scores = [number, number, number, number, number];
interface Criterion {
  name: string;
  weight: number;
  whyMd: string;
  scores: Scores;
}

export interface TransportDecision {
  transport: Transport;
  library: string | null;
  libraryUse: LibraryUse | null;
  criteria: { name: string; weight: number; whyMd: string }[];
  matrix: MatrixRow[];
  choiceMd: string;
  reasonsMd: string[];
  libraries: LibraryRow[];
  weighedMd: string;
  othersMd: string;
  librariesMd: string;
}

export interface DecisionInput {
  input: PlanInput;
  needs: ScenarioNeeds;
  connections: number;
  latencyMs: number | null;
  voiceOnly: boolean;
  voiceProviders: string[];
  /** An AI answer is read with fetch from a POST: no EventSource reconnection or Last-Event-ID. */
  fetchStream?: boolean;
}

function existingScores(d: DecisionInput): { weight: number; scores: Scores; whyMd: string } {
  const stack = d.input.analysis.stack;
  if (d.voiceOnly && d.voiceProviders.length > 0) {
    const providers = voiceProvidersOf(d);
    // OpenAI Realtime in the browser and LiveKit rooms are WebRTC; Gemini Live is WebSocket only.
    const rtc = providers.some((p) => isVoiceProvider(p) && VOICE[p].mediaOverRtc);
    return { weight: 4, scores: rtc ? [1, 0, 0, 3, 0] : [3, 0, 0, 1, 0], whyMd: `the voice provider fixes the wire protocol (${list(providers.map(code))})` };
  }
  const managed = managedProvider(d);
  if (managed) {
    const scores = OPTIONS.map((t) => (t === managed.transport ? 3 : 0)) as Scores;
    return { weight: 4, scores, whyMd: `the project builds on ${managed.label} (${code(managed.id)}), which fixes the wire protocol` };
  }
  if (stack.transports.length > 0) {
    const has = (t: Transport) => stack.transports.includes(t);
    // A wire the project does not use scores what the closest one it does use credits it (Socket.IO runs over WebSocket).
    const scores = OPTIONS.map((t) => (has(t) ? 3 : Math.max(0, ...stack.transports.map((u) => TRANSPORTS[u].credits?.[t] ?? 0)))) as Scores;
    return { weight: 4, scores, whyMd: `project already uses ${list(stack.transports.map(code))}: no rewrite without a stated reason` };
  }
  const fw = new Set(stack.frameworks.map((f) => f.name));
  if (fw.has('next'))
    return { weight: 2, scores: [0, 0, 3, 1, 2], whyMd: 'Next.js route handlers stream responses natively; serverless hosts do not keep WebSocket servers' };
  if (fw.has('fastify')) return { weight: 2, scores: [3, 1, 2, 1, 2], whyMd: 'Fastify: `@fastify/websocket` shares its routes, hooks and auth' };
  if (fw.size > 0)
    return {
      weight: 2,
      scores: [2, 2, 2, 1, 2],
      whyMd: `no real-time code yet, and ${list([...fw].sort().map(code))} fit${fw.size === 1 ? 's' : ''} any option`,
    };
  return { weight: 0, scores: [1, 1, 1, 1, 1], whyMd: 'no stack detected: neutral' };
}

/** The infrastructure the context names (a proxy, a serverless host), else the general case. */
function infraWhy(d: DecisionInput): string {
  const infra = d.input.sessions.requirements.flatMap((r) =>
    r.kind === 'infra' && r.fact !== 'tls-termination' && r.fact !== 'client-silence-close' ? [r] : [],
  );
  if (infra.length === 0) return 'corporate proxies and load balancers must pass it';
  return `the context names ${list(infra.map((r) => `${text(r.component)} (${text(r.evidence)})`))}: the transport must pass ${infra.length === 1 ? 'it' : 'them'}`;
}

export function criteria(d: DecisionInput): Criterion[] {
  const n = d.needs;
  const ex = existingScores(d);
  return [
    {
      name: 'Direction of traffic',
      weight: 3,
      whyMd: n.bidirectional ? 'clients send as much as they receive' : 'mostly server → client push',
      scores: n.bidirectional ? [3, 3, 1, 3, 1] : [2, 2, 3, 0, 2],
    },
    {
      name: 'Binary data',
      weight: n.binary ? 2 : 0,
      whyMd: n.binary ? 'binary frames needed (audio or CRDT updates)' : 'JSON only: not weighed',
      scores: [3, 2, 0, 3, 1],
    },
    {
      name: 'Latency',
      weight: n.media || (d.latencyMs !== null && d.latencyMs <= 100) ? 3 : 2,
      whyMd: n.media
        ? 'live audio: no head-of-line blocking'
        : d.latencyMs !== null
          ? `target ${fmt(d.latencyMs)} ms from the context`
          : 'rt-plan default p95 < 100 ms (assumption)',
      scores: n.media ? [2, 1, 0, 3, 0] : [3, 3, 3, 3, 1],
    },
    { name: 'Proxies and infrastructure', weight: 1, whyMd: infraWhy(d), scores: [2, 3, 3, 1, 3] },
    { name: 'Browser support', weight: 1, whyMd: 'evergreen browsers; SSE cannot set headers, WebRTC needs TURN behind strict NATs', scores: [3, 3, 2, 2, 3] },
    { name: 'Existing stack and providers', weight: ex.weight, whyMd: ex.whyMd, scores: ex.scores },
    { name: 'Scale', weight: d.connections > 10_000 ? 3 : 2, whyMd: `${fmt(d.connections)} concurrent connections`, scores: [2, 2, 3, 1, 1] },
    {
      name: 'Rooms, acks, reconnection built in',
      weight: n.rooms ? 2 : 0,
      whyMd: n.rooms ? 'rooms and acknowledgements are core to the design' : 'not needed: not weighed',
      scores: [1, 3, 1, 0, 1],
    },
  ];
}

export function decideTransport(d: DecisionInput): TransportDecision {
  const cs = criteria(d);
  const matrix: MatrixRow[] = OPTIONS.map((option, i) => ({
    option: OPTION_LABEL[option],
    scores: cs.map((c) => c.scores[i] ?? 0),
    total: cs.reduce((sum, c) => sum + c.weight * (c.scores[i] ?? 0), 0),
    chosen: false,
  }));
  let best = 0;
  matrix.forEach((row, i) => {
    if (row.total > (matrix[best]?.total ?? -1)) best = i;
  });
  matrix[best]!.chosen = true;
  const transport = OPTIONS[best]!;
  const picked = pickLibrary(d, transport);
  // On a managed service the provider's SDK is the library: there is no server library to pick.
  const managed = managedProvider(d);
  const sdk = managed && managed.transport === transport ? (managedSdks(d).find((l) => l.role !== 'server') ?? managedSdks(d)[0]) : undefined;
  // A Worker or Durable Object uses the runtime's WebSocketPair: a Node server library would be a rewrite.
  const platform = TRANSPORTS[transport].platformSockets === true && platformServesSockets(d.input);
  const { library, use } = sdk ? { library: sdk.name, use: sdk } : platform ? { library: null, use: null } : picked;
  // A library that owns the answer stream (its hook and route) is the library in use: nothing to pick.
  const owner = TRANSPORTS[transport].reasonsMd.pushFetch && d.fetchStream ? streamSdk(d) : null;
  const owned = owner ? sdkTransport(d, owner) : null;
  const reasonsMd = reasons(d, transport, use, owned?.reasonMd);
  const runnerUp =
    matrix
      .map((row, i) => ({ total: row.total, i }))
      .filter((x) => x.i !== best)
      .sort((a, b) => b.total - a.total || a.i - b.i)[0]?.i ?? best;
  const shortlist = new Set<Transport>([transport, OPTIONS[runnerUp]!]);
  // A client-only repository picks no server library: the server is someone else's, and the client library is the one in use.
  const clientOnly = d.input.analysis.findings.some((f) => f.id === 'client-only');
  const clientLib = clientOnly && !sdk ? d.input.analysis.stack.libraries.find((l) => l.role === 'client') : undefined;
  const libraries = platform || owned || clientLib ? [] : libraryRows(d, shortlist, library, transport);
  const libText = owned
    ? owned.libText
    : clientLib
      ? ` with ${code(clientLib.name)}${clientLib.version ? ` ${text(clientLib.version)}` : ''} in this client (the server it connects to is not in this repository)`
      : library
        ? ` with ${code(library)}${use?.version ? ` ${text(use.version)}` : ''}`
        : ' with the platform API';
  return {
    transport,
    library,
    libraryUse: use,
    criteria: cs.map(({ name, weight, whyMd }) => ({ name, weight, whyMd })),
    matrix,
    choiceMd: `**${OPTION_LABEL[transport]}**${libText} (weighted score ${matrix[best]!.total}).`,
    reasonsMd,
    libraries,
    ...compactDecision(cs, matrix, libraries),
  };
}

/** The matrix in three sentences: only weighed criteria, the other options best first, the libraries scored. */
function compactDecision(cs: Criterion[], matrix: MatrixRow[], libraries: LibraryRow[]): { weighedMd: string; othersMd: string; librariesMd: string } {
  const weighed = cs
    .filter((c) => c.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((c) => `${c.name.toLowerCase()} ×${c.weight} (${c.whyMd})`);
  const others = matrix
    .filter((r) => !r.chosen)
    .sort((a, b) => b.total - a.total)
    .map((r) => `${r.option} ${r.total}`);
  const libs = [...libraries]
    .sort((a, b) => Number(b.chosen) - Number(a.chosen) || b.total - a.total)
    .map((l) => (l.chosen ? `${code(l.name)} chosen, ${l.total}: ${l.fitMd}` : `${code(l.name)} ${l.total}`));
  return {
    weighedMd: weighed.join('; '),
    othersMd: others.join(', '),
    librariesMd: libs.length > 0 ? `scored ${LIBRARY_CRITERIA.map((c) => `${c.name.toLowerCase()} ×${c.weight}`).join(', ')}: ${libs.join('; ')}` : '',
  };
}

/** How each managed real-time service fixes the wire; the order and labels come from kit.ts's MANAGED_PROVIDERS, so both pick the same provider. */
const WIRE: Record<string, { transport: Transport; whyMd: string }> = {
  livekit: {
    transport: 'webrtc',
    whyMd:
      'the LiveKit server (SFU) carries signalling and media for every room; our code mints join tokens (a voice AI agent, where one is wanted, is a LiveKit Agents worker that joins rooms as a participant). No WebRTC signalling server of our own.',
  },
  'supabase-realtime': {
    transport: 'websocket',
    whyMd:
      'Supabase runs the WebSocket servers; use its channels (one per room, private channels with RLS), broadcast for ephemeral messages, presence, and Postgres changes for persisted data. No WebSocket server of our own.',
  },
  pusher: {
    transport: 'websocket',
    whyMd: 'Pusher runs the WebSocket servers; our server authorizes private and presence channels and publishes through the HTTP API.',
  },
  ably: { transport: 'websocket', whyMd: 'Ably runs the WebSocket servers; our server issues token requests and publishes through the REST API.' },
  centrifugo: {
    transport: 'websocket',
    whyMd:
      "Centrifugo, a separate server process the project runs and configures, holds the WebSocket connections; our API signs connection and subscription tokens and publishes through Centrifugo's server API. No WebSocket server of our own, and no rewrite onto one.",
  },
};

/** Managed real-time services: the provider runs the servers, the project only uses its SDK. */
export const MANAGED: readonly { id: string; label: string; transport: Transport; whyMd: string }[] = MANAGED_PROVIDERS.flatMap((p) => {
  const wire = WIRE[p.id];
  return wire ? [{ id: p.id, label: p.label, ...wire }] : [];
});

export type ManagedProvider = (typeof MANAGED)[number];

/** The managed real-time service the project builds on, if any: other sections skip our own server for it. */
export function managedProviderOf(input: PlanInput): ManagedProvider | null {
  return MANAGED.find((m) => input.analysis.stack.providers.includes(m.id)) ?? null;
}

function managedProvider(d: DecisionInput): ManagedProvider | null {
  return managedProviderOf(d.input);
}

function managedSdks(d: DecisionInput): LibraryUse[] {
  return [...d.input.analysis.stack.libraries].filter((l) => l.kind === 'provider').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Voice providers for the decision: those passed in, plus any the stack has. */
function voiceProvidersOf(d: DecisionInput): string[] {
  const out = new Set(d.voiceProviders);
  const detected = d.input.analysis.stack.providers.filter(isVoiceProvider);
  if (detected.length > 0) {
    for (const p of detected) out.add(p);
    // buildPlan falls back to a default provider when it sees none it knows; a detected one replaces it.
    if (!detected.includes(DEFAULT_VOICE_PROVIDER)) out.delete(DEFAULT_VOICE_PROVIDER);
  }
  return [...out].sort();
}

/**
 * The context's musts and must-nots about the stack that this choice keeps, quoted: "keep Socket.IO 4
 * and the Redis adapter" next to a plan that keeps both, "no managed real-time vendor" next to one
 * that runs its own servers, "we do not want to run our own WebSocket servers" next to a provider.
 * Said where it holds, so the requirement is not listed as Not addressed while the plan meets it.
 */
function honouredMd(d: DecisionInput, transport: Transport, onProvider: boolean): string[] {
  const stack = d.input.analysis.stack;
  // Names the sentence may use for what the project already runs: "Socket.IO", "the Redis adapter", "the NestJS gateway".
  // The provider the project builds on by its own name too ("we keep Centrifugo", whose SDK is `centrifuge`).
  const provider = onProvider ? managedProvider(d) : null;
  const names = [OPTION_LABEL[transport], ...stack.libraries.map((l) => l.name), ...stack.scaling.map((s) => s.name), ...(provider ? [provider.label] : [])]
    .flatMap((n) => [n, n.replace(/^@[^/]+\//, '').replace(/[-.]/g, ' ')])
    .concat(stack.libraries.some((l) => /^@nestjs\//.test(l.name)) ? ['NestJS'] : []);
  const named = (s: string) =>
    names.some((n) => n.length > 2 && new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ .-]?')}\\b`, 'i').test(s));
  const out: string[] = [];
  for (const r of d.input.sessions.requirements) {
    if (r.kind !== 'constraint') continue;
    // Clause by clause: "keep Redis memory under 200 MB" is a budget, not the stack kept.
    const keep =
      r.polarity === 'must' &&
      r.sentence
        .split(/[;:]/)
        .some(
          (c) => /\b(?:keep|stay on|stick with|continue (?:to use|using))\b/i.test(c) && !/\b(?:under|below|within|less than|at most)\b/i.test(c) && named(c),
        );
    const noVendor = r.polarity === 'must-not' && !onProvider && /\b(?:vendor|third[- ]party|managed real-?time|push service)\b/i.test(r.sentence);
    const noServers = r.polarity === 'must-not' && onProvider && /\bown\b[^.]*\b(?:WebSocket|socket|real-?time)\s+servers?\b/i.test(r.sentence);
    // "no per-user state in the API": with a provider holding connections, subscriptions and history, our routes keep none.
    const stateless = provider !== null && /\bno (?:per-user|user|session|connection) state\b/i.test(r.sentence);
    if (keep)
      out.push(
        `As the context requires, the plan keeps what it names: "${text(r.sentence)}" (${code(r.evidence)}).${
          stateless
            ? ` No socket server of ours is proposed, and our API keeps no per-user state: ${provider.label} holds the connections, subscriptions and channel history, and our routes only authorize and publish.`
            : ''
        }`,
      );
    else if (noVendor)
      out.push(`No managed vendor: our own servers carry the connections, as the context requires: "${text(r.sentence)}" (${code(r.evidence)}).`);
    else if (noServers)
      out.push(`No WebSocket server of ours: the provider holds the connections, as the context requires: "${text(r.sentence)}" (${code(r.evidence)}).`);
  }
  return out;
}

function reasons(d: DecisionInput, transport: Transport, use: LibraryUse | null, ownedPushMd?: string): string[] {
  const out: string[] = [];
  const stack = d.input.analysis.stack;
  const managed = managedProvider(d);
  if (managed && managed.transport === transport)
    out.push(
      `Builds on ${managed.label} (${list(managedSdks(d).map((l) => `${code(l.name)} ${text(l.version ?? l.declared ?? '')}`.trim()))}): ${managed.whyMd}`,
    );
  else if (stack.transports.includes(transport))
    out.push(
      `Keeps the existing ${OPTION_LABEL[transport]} code${use ? ` (${code(use.name)} declared at ${text(use.evidence)})` : ''}; rewriting working code is a cost without a benefit here.`,
    );
  else if (stack.transports.length > 0)
    out.push(
      `Moves away from ${list(stack.transports.map(code))} because the needs below outweigh the existing-stack criterion; plan the migration explicitly.`,
    );
  else out.push('No real-time code exists yet, so the choice follows the needs alone.');
  // A library older than the release the plan's advice assumes: say so first (Socket.IO 2.x is end-of-life).
  if (use && gate(FEATURES.socketIoV4, use.name === FEATURES.socketIoV4.library ? use : null).kind === 'too-old')
    out.push(
      `${code(use.name)} ${text(use.version ?? use.declared ?? '')} is 2.x, which is end-of-life: upgrade the server to 4.x first, with ${code('allowEIO3: true')} so 2.x clients keep connecting during the client rollout.`,
    );
  out.push(...honouredMd(d, transport, managed !== null && managed.transport === transport));
  const traits = TRANSPORTS[transport];
  if (!d.needs.bidirectional) {
    const push = ownedPushMd ?? (d.fetchStream ? traits.reasonsMd.pushFetch : traits.reasonsMd.push);
    if (push) out.push(push);
  }
  if (d.needs.media)
    out.push(
      traits.reasonsMd.media ??
        'The provider speaks WebSocket only: audio travels as small chunks inside its messages, so keep chunks short (20–40 ms of audio) to bound latency; our server only issues tokens.',
    );
  // A managed provider's channels are the rooms and its events the protocol: no layer of ours over its wire.
  const providerRooms = managed && managed.transport === transport;
  if (d.needs.rooms && traits.reasonsMd.rooms && !providerRooms) out.push(traits.reasonsMd.rooms);
  if (traits.reasonsMd.always) out.push(traits.reasonsMd.always);
  return out;
}
