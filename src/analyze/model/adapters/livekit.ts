// LiveKit. Server SDK (livekit-server-sdk): `new AccessToken(key, secret, { identity, ttl })` +
// `addGrant({ roomJoin, room, … })` + `toJwt()` in a route mints join tokens (a row of
// code/entrypoints.ts); `RoomServiceClient` manages rooms and sends data
// (`sendData(room, data, kind, { topic })`); `WebhookReceiver.receive(body, auth)` verifies
// webhooks. Client (livekit-client): `new Room(opts)`, `room.connect(url, token)`,
// `room.on(RoomEvent.X, fn)` (rows of code/providers.ts) and
// `room.localParticipant.publishData(bytes, { reliable, topic })`, relayed by the SFU to the
// other participants. The SDK pings on its signal connection and reconnects by itself
// (DefaultReconnectPolicy: 0, 300, 1200, 2700, 4800 ms, then 7 s).
// https://docs.livekit.io/home/server/generating-tokens · https://docs.livekit.io/transport/data/packets
// https://docs.livekit.io/home/server/webhooks · https://github.com/livekit/client-sdk-js/blob/main/src/room/DefaultReconnectPolicy.ts
import { type ArgInfo, rootSegment } from '../../code/ast.js';
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import { type FileContext, moduleOf, optionsArg } from '../../code/file-context.js';
import { argPayload } from '../../code/payloads.js';
import { type AddedSignals, type Adapter, usesAny } from './types.js';

const SERVER = 'livekit-server-sdk';
const CLIENT = 'livekit-client';

/** The `topic` of a data message: the options object of publishData / sendData. */
const topicOf = (args: readonly { props?: Record<string, { str?: string }> }[]): string | undefined =>
  args.map((a) => a.props?.topic?.str).find((t) => t !== undefined);

/**
 * `publishData(bytes, { reliable })`: a literal `reliable` says how LiveKit delivers the packet; unset or
 * computed, the call does not say (docs.livekit.io/reference/client-sdk-js/types/DataPublishOptions.html).
 */
const reliableOf = (opts: ArgInfo | undefined): 'reliable' | 'lossy' | undefined => {
  const r = opts?.props?.reliable;
  return r?.kind === 'bool' ? (r.bool ? 'reliable' : 'lossy') : undefined;
};

/** `sendData(room, data, kind)`: DataPacket_Kind RELIABLE is 0 and LOSSY 1, as a number or the enum member. */
const kindOf = (kind: ArgInfo | undefined): 'reliable' | 'lossy' | undefined => {
  if (kind?.kind === 'number') return kind.num === 0 ? 'reliable' : kind.num === 1 ? 'lossy' : undefined;
  const member = kind?.kind === 'member' ? kind.path?.split('.').pop() : undefined;
  return member === 'RELIABLE' ? 'reliable' : member === 'LOSSY' ? 'lossy' : undefined;
};

/** The SDK made the receiver: imported from it, or `const rooms = new RoomServiceClient(…)` here. */
const fromServerSdk = (ctx: FileContext, path: string): boolean => {
  if (moduleOf(ctx, path) === SERVER) return true;
  const v = ctx.facts.vars.find((x) => x.name === rootSegment(path));
  return v !== undefined && moduleOf(ctx, v.init.replace(/^new /, '')) === SERVER;
};

export const LIVEKIT_ADAPTER: Adapter = {
  name: 'livekit',
  modules: [SERVER, CLIENT, '@livekit/components-react'],
  applies: (ctx) => usesAny(ctx, [SERVER, CLIENT]),
  entries: (ctx) =>
    ctx.facts.calls.flatMap((c): EntryHit[] =>
      c.isNew && fromServerSdk(ctx, c.path) && (c.method === 'RoomServiceClient' || c.method === 'WebhookReceiver')
        ? [{ file: ctx.file, line: c.line, kind: 'provider-server', side: 'server', transport: null, provider: 'livekit', call: c }]
        : [],
    ),
  events: (ctx) => {
    const out: RawEvent[] = [];
    for (const c of ctx.facts.calls) {
      const topic = topicOf(c.args);
      const data = (bytes: ArgInfo | undefined, side: 'server' | 'client', peer: boolean, delivery?: 'reliable' | 'lossy'): void => {
        const payload = argPayload(bytes);
        // `data:<topic>` is rt-plan's label: the project names only the topic, the call is LiveKit's.
        const sdk = `${c.method}(…${topic !== undefined ? `, { topic: '${topic}' }` : ''})`;
        out.push({
          name: `data:${topic ?? '*'}`,
          sdk,
          act: 'emit',
          side,
          transport: 'webrtc',
          file: ctx.file,
          line: c.line,
          ...(peer ? { peer: true } : {}),
          ...(delivery ? { delivery } : {}),
          ...(topic !== undefined ? { topic } : {}),
          ...(payload ? { payload } : {}),
        });
      };
      // Server to participants: RoomServiceClient.sendData (an instance from another module too).
      // The data is bytes; when they are a JSON object written here (`encode(JSON.stringify({ … }))`), its keys are the payload.
      if (c.method === 'sendData' && fromServerSdk(ctx, c.path)) data(c.args[1], 'server', false, kindOf(c.args[2]));
      // One participant to the others: the SFU relays it, no server code of ours is involved.
      if (c.method === 'publishData' && c.path.endsWith('localParticipant.publishData') && ctx.sources.has(CLIENT))
        data(c.args[0], 'client', true, reliableOf(c.args[1]));
    }
    return out;
  },
  signals: (_ctx, entries) => {
    const out: Required<Pick<AddedSignals, 'heartbeat' | 'reconnect'>> = { heartbeat: [], reconnect: [] };
    for (const e of entries) {
      if (e.kind !== 'provider-client' || e.provider !== 'livekit') continue;
      out.heartbeat.push({ line: e.line, side: 'client' });
      const policy = e.call ? optionsArg(e.call)?.props?.reconnectPolicy : undefined;
      // livekit-client's DefaultReconnectPolicy (src/room/DefaultReconnectPolicy.ts) randomizes every
      // delay: 2.23 draws the first retry from [0, 500 ms) and scales the later ones by [0.5, 1.5),
      // earlier 2.x releases add up to 1 s to the later ones. A policy of the project's own is not read.
      out.reconnect.push({ line: policy?.line ?? e.line, backoff: true, jitter: !policy, builtin: true });
    }
    return out;
  },
};
