// Relevance as data: which words mark a text as real-time, which topic it covers, and how a
// snippet scores against the task, the requirements and the detected stack.
import type { Analysis, Feature, Metric, Requirement } from '../types.js';

/** Topic vocabulary shared with the design stage, which cites refs by topic. Order is output order. */
export const TOPIC_PATTERNS: ReadonlyArray<{ topic: string; pattern: RegExp }> = [
  { topic: 'heartbeat', pattern: /\b(heart-?beats?|ping(s|ing|Interval|Timeout)?|pong|keep-?alive|liveness|idle ?timeout)\b/i },
  { topic: 'reconnect', pattern: /\b(re-?connect\w*|backoff|jitter|retry|retries)\b/i },
  { topic: 'scaling', pattern: /\b(scal\w+|adapter|cluster\w*|horizontal\w*|multiple nodes|load.balanc\w+|instances?|redis|pub\/?sub)\b/i },
  { topic: 'sticky-sessions', pattern: /\bsticky\b|session affinity|Session ID unknown/i },
  { topic: 'auth', pattern: /\b(auth\w*|tokens?|jwt|cookies?|handshake|origin|cswsh|credentials?|rls)\b/i },
  { topic: 'compression', pattern: /(compress|deflate)/i },
  { topic: 'payload-limit', pattern: /\b(maxPayload\w*|maxHttpBufferSize|payload (size|limit)|message size|max(imum)? message)\b/i },
  { topic: 'resume', pattern: /\b(resum\w+|replay|recovery|Last-Event-ID|offsets?|missed (events|messages))\b/i },
  { topic: 'ephemeral-token', pattern: /\b(ephemeral|client secrets?|short-lived)\b/i },
  { topic: 'session-limits', pattern: /\b(session (limits?|duration|length)|GoAway|concurrent sessions)\b/i },
  { topic: 'backpressure', pattern: /\b(back-?pressure|bufferedAmount|drain|slow consumers?)\b/i },
  { topic: 'rooms', pattern: /\b(rooms?|namespaces?|channels?|broadcast\w*|topics?)\b/i },
  { topic: 'presence', pattern: /\b(presence|awareness|online users?|typing indicators?)\b/i },
  { topic: 'signalling', pattern: /\b(signall?ing|sdp|ice|stun|turn server|offer\/answer)\b/i },
  { topic: 'state-sync', pattern: /\b(crdt|snapshots?|deltas?|conflict\w*|sync\w*)\b/i },
  { topic: 'security', pattern: /\b(rate.limit\w*|validation|schema|dos|denial of service|cors)\b/i },
];

/** A text is about real-time work when one of these appears. */
const REALTIME =
  /\b(web-?sockets?|socket\.io|real-?time|server-sent|sse|event-?source|web-?rtc|long-polling|streaming|push notifications?|presence|pub\/?sub|live (updates?|cursors?)|ws:\/\/|wss:\/\/|asyncapi|uWebSockets|yjs|livekit|supabase realtime|realtime api|live api)\b/i;

export function topicsOf(text: string): string[] {
  return TOPIC_PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ topic }) => topic);
}

export function isRealtime(text: string): boolean {
  return REALTIME.test(text);
}

const FEATURE_TERMS: Record<Feature, string[]> = {
  chat: ['chat', 'message', 'room'],
  presence: ['presence', 'online', 'awareness'],
  typing: ['typing'],
  notifications: ['notification', 'push'],
  'live-updates': ['live', 'update', 'broadcast'],
  'ai-streaming': ['stream', 'token', 'sse'],
  'state-sync': ['sync', 'state', 'snapshot', 'delta'],
  'collaborative-editing': ['collaborat', 'crdt', 'yjs', 'cursor'],
  voice: ['audio', 'voice', 'speech', 'realtime'],
  subscriptions: ['subscri', 'channel'],
  'file-transfer': ['file', 'binary', 'upload'],
  video: ['video', 'webrtc', 'media', 'track'],
};

const METRIC_TOPICS: Record<Metric, string[]> = {
  'concurrent-users': ['scaling'],
  'message-rate': ['backpressure', 'scaling'],
  latency: ['compression'],
  'first-token': ['backpressure'],
  'room-size': ['rooms', 'scaling'],
  'payload-size': ['payload-limit', 'compression'],
  instances: ['scaling', 'sticky-sessions'],
  users: ['scaling'],
  duration: ['session-limits'],
  budget: ['backpressure'],
  subscriptions: ['rooms', 'scaling'],
  entities: ['rooms', 'scaling'],
  rooms: ['rooms', 'scaling'],
};

export interface Query {
  /** Lower-case words searched for in a snippet. */
  terms: string[];
  /** Topics the plan needs; a snippet covering one scores higher. */
  topics: string[];
}

/** Builds the relevance query from the task, the requirements and what the analysis found. */
export function buildQuery(task: string, requirements: Requirement[], analysis: Analysis): Query {
  const terms = new Set<string>();
  // Liveness, reconnection and auth matter to every plan, whatever the stack already has.
  const topics = new Set<string>(['heartbeat', 'reconnect', 'auth']);
  for (const word of task.toLowerCase().split(/[^a-z0-9]+/)) if (word.length > 2) terms.add(word);
  for (const req of requirements) {
    if (req.kind === 'feature') for (const t of FEATURE_TERMS[req.feature]) terms.add(t);
    else if (req.kind === 'number') for (const t of METRIC_TOPICS[req.metric]) topics.add(t);
  }
  for (const lib of analysis.stack.libraries) terms.add(lib.name.toLowerCase());
  for (const t of analysis.stack.transports) terms.add(t);
  for (const p of analysis.stack.providers) terms.add(p.toLowerCase());
  if (analysis.stack.scaling.length > 0) topics.add('scaling');
  if (!analysis.stack.reconnect.present) topics.add('resume');
  for (const finding of analysis.findings) for (const t of topicsOf(`${finding.id} ${finding.message}`)) topics.add(t);
  return { terms: [...terms].sort(), topics: [...topics].sort() };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Counts query terms (each at most 3 times, matched at a word start so "ws" does not hit
 * "shows" while "subscri" still hits "subscribe") and wanted topics in a snippet.
 */
export function relevance(text: string, topics: string[], query: Query): number {
  let score = 0;
  for (const term of query.terms) {
    const hits = text.match(new RegExp(`(?<![\\w.@/-])${escape(term)}`, 'gi'))?.length ?? 0;
    score += Math.min(hits, 3);
  }
  for (const topic of topics) if (query.topics.includes(topic)) score += 3;
  return score;
}
