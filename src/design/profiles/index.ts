// One profile per runtime a plan can land on: what it has built in and which advice applies
// to it. Sections read the profile instead of branching on library or provider names, so
// permessage-deflate, payload options, pub/sub between our nodes and overload answers appear
// only where the runtime has them.
import type { DesignCtx } from '../context.js';
import { managedProvider } from '../scenarios/kit.js';
import { policyKind } from '../connection-providers.js';
import { code } from '../md.js';

export interface RuntimeProfile {
  id: 'socket.io' | 'ws' | 'sse-eventsource' | 'sse-fetch' | 'webrtc' | 'provider-direct' | 'managed' | 'http';
  /** We run the socket server, so permessage-deflate is ours to configure. */
  deflate: boolean;
  /** The server option that caps one inbound message; null when a provider or HTTP sets it. */
  payloadCap: { option: string; defaultMd: string } | null;
  /** Cross-node fan-out runs through our own pub/sub (and so needs its lag watched). */
  ownFanout: boolean;
  /** How an overloaded node turns new connections away, in a form the client honours. */
  refuseMd: string;
  /** What to say about compression when deflate does not apply. */
  compressionMd?: string;
}

const PROFILES: Record<RuntimeProfile['id'], RuntimeProfile> = {
  'socket.io': {
    id: 'socket.io',
    deflate: true,
    payloadCap: { option: 'maxHttpBufferSize', defaultMd: 'default 1e6' },
    ownFanout: true,
    refuseMd: `an overloaded node refuses handshakes in ${code('io.use')} with ${code("next(new Error('overloaded'))")} and ${code('err.data.retryAfterMs')}, and the client waits that long plus jitter before ${code('socket.connect()')}`,
  },
  ws: {
    id: 'ws',
    deflate: true,
    payloadCap: { option: 'maxPayload', defaultMd: 'ws default 100 MiB' },
    ownFanout: true,
    refuseMd: `an overloaded node answers the upgrade with 503 and ${code('Retry-After')}, or closes with ${code('1013')} (try again later)`,
  },
  'sse-eventsource': {
    id: 'sse-eventsource',
    deflate: false,
    payloadCap: null,
    ownFanout: true,
    // Any non-200 answer or a wrong Content-Type makes EventSource fail for good: never 503 it.
    refuseMd: `an overloaded node still answers 200 with ${code('text/event-stream')}, sends a larger ${code('retry:')} and ends the stream, because EventSource gives up for good on any non-200 answer`,
    compressionMd: 'gzip on a long-lived SSE response buffers events unless flushed per event: disable compression on the stream route, or flush after every event.',
  },
  'sse-fetch': {
    id: 'sse-fetch',
    deflate: false,
    payloadCap: null,
    ownFanout: true,
    refuseMd: `an overloaded node answers 503 with ${code('Retry-After')}; the fetch reader's own retry policy honours it`,
    compressionMd: 'gzip on a long-lived SSE response buffers events unless flushed per event: disable compression on the stream route, or flush after every event.',
  },
  webrtc: { id: 'webrtc', deflate: false, payloadCap: null, ownFanout: false, refuseMd: 'the token route answers 503 and the client retries with backoff', compressionMd: 'Audio and events go to the provider directly; compression is its concern, not ours.' },
  'provider-direct': { id: 'provider-direct', deflate: false, payloadCap: null, ownFanout: false, refuseMd: 'the token route answers 503 and the client retries with backoff', compressionMd: 'Audio and events go to the provider directly; compression is its concern, not ours.' },
  managed: { id: 'managed', deflate: false, payloadCap: null, ownFanout: false, refuseMd: 'the provider sheds load itself; the token or auth route answers 503 and the client retries with backoff', compressionMd: 'The managed provider runs the sockets: compression and message size limits are its settings and its plan\'s quotas, not ours.' },
  http: { id: 'http', deflate: false, payloadCap: null, ownFanout: true, refuseMd: 'an overloaded node answers 503 with `Retry-After`', compressionMd: 'Ordinary HTTP compression applies to each response.' },
};

export function profileOf(ctx: Pick<DesignCtx, 'providerDirect' | 'transport' | 'library' | 'scenarios' | 'input'>): RuntimeProfile {
  if (ctx.providerDirect) return PROFILES['provider-direct'];
  if (managedProvider(ctx.input)) return PROFILES.managed;
  if (ctx.transport === 'socket.io') return PROFILES['socket.io'];
  if (ctx.transport === 'websocket') return PROFILES.ws;
  if (ctx.transport === 'sse') return PROFILES[policyKind(ctx) === 'sse-retry' ? 'sse-eventsource' : 'sse-fetch'];
  if (ctx.transport === 'webrtc') return PROFILES.webrtc;
  return PROFILES.http;
}
