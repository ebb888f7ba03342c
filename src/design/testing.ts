// Testing strategy. The load-test sketch takes its numbers from the capacity model (one
// instance at its usable connection count, then the whole fleet), and its messages from
// the event catalog, so the script tests this design rather than a generic echo.
import { removalBudgetOf, spanMd } from './removal.js';
import { sessionSeconds } from './voice-capacity.js';
import { burstOf, defaultRateMd, roomSizeOf, statedBytesMd } from './capacity.js';
import { publishedMd } from './workload.js';
import { streamEventsReceived } from './payload-size.js';
import { runsOwnFleet } from './profiles/fleet.js';
import type { EventSpec, NumberRequirement, PayloadField } from '../types.js';
import { noSignInFound, streamPath, type DesignCtx } from './context.js';
import type { Plan } from './types.js';
import { managedProvider, type ScenarioModule } from './scenarios/kit.js';
import { code, fenceSafe, fmt, list, round, text } from './md.js';
import { channelParts, projectRooms } from './rooms.js';
import { reconnectPolicy, reconnectsItself } from './connection.js';
import { tokenRate } from './scenarios/voice-providers.js';
import { docChannel } from './scenarios/collab-editing.js';
import { replyOf, seqless, snapshotVersioned, stateVectors } from './scenarios/index.js';
import { orderingOf } from './ordering.js';
import { idOf, providersOf } from './scenarios/voice.js';
import { VOICE } from './profiles/voice.js';
import { quoteOf, rulesOut, statedFraming } from './constraints.js';
import { hasExistingOriginCheck } from './security.js';
import { opsProfile, speaksYProtocols } from './profiles/ops.js';
import { opsKind } from './ops.js';
import { profileOf } from './profiles/index.js';
import { traitsOf } from './profiles/transports.js';
import { deliveryPercentileOf, droppableCoalescedOf, fetchStream } from './ops.js';
import { protocolTraits } from './profiles/protocol.js';
import { singular } from './core/names.js';
import { isSys } from './protocol.js';
import { eventStreamPath } from './stream-resume.js';
import { sdkOwned, sdkTesting } from './profiles/ai-sdk-ops.js';
import { coreOf } from './core/context.js';
import { eventChecksMd } from './access.js';

/** A dedup key: one constant value for every message would make the server ack all but the first as duplicates. */
const DEDUP_KEY = /^(clientMsgId|mutationId|requestId|idempotencyKey|clientId|clientMessageId)$/;
const UUID_MARK = '__uuid__';

function sample(field: PayloadField): unknown {
  if (DEDUP_KEY.test(field.name)) return UUID_MARK;
  const t = field.type.trim();
  if (t === 'string') return `load-${field.name}`;
  if (t === 'integer' || t === 'number') return 0;
  if (t === 'boolean') return true;
  if (t.endsWith('[]')) return [];
  if (t.startsWith('Record<')) return {};
  const literal = /^'([^']*)'/.exec(t);
  return literal ? literal[1] : null;
}

function loadScript(ctx: DesignCtx, events: EventSpec[]): Plan['testing']['load'] {
  const v = ctx.capacity.values;
  if (ctx.providerDirect) {
    // One token per conversation: as long as the context says a call lasts, else 10 minutes (and
    // never longer, since a provider connection is renewed about every 10 minutes). A rate per
    // minute, since the per-second figure is below 1.
    const { seconds, stated } = sessionSeconds(ctx);
    const tr = tokenRate(v.connections, seconds);
    const perMinute = Math.max(1, Math.round(tr.perMinute));
    // A provider whose resumed sessions keep their token asks for new ones only past its lifetime.
    const ps = providersOf(ctx);
    const storm = ps.length === 1 ? VOICE[ps[0]!].stormTokensMd : undefined;
    return {
      tool: 'k6 (HTTP)',
      lang: 'js',
      code: fenceSafe(
        `import http from 'k6/http';\nimport { check } from 'k6';\nexport const options = {\n  scenarios: {\n    steady: { executor: 'constant-arrival-rate', rate: ${perMinute}, timeUnit: '1m', duration: '10m', preAllocatedVUs: ${Math.max(2, Math.ceil(tr.perSecond * 2))} },\n    storm: { executor: 'shared-iterations', vus: ${Math.min(v.connections, 500)}, iterations: ${v.connections}, startTime: '10m' },\n  },\n  thresholds: { http_req_duration: ['p(95)<300'] },\n};\nexport default function () {\n  const res = http.post(__ENV.BASE + '/api/realtime/token', null, { headers: ${noSignInFound(ctx) ? '{ Origin: __ENV.ORIGIN }' : '{ Cookie: __ENV.COOKIE }'} });\n  check(res, { 'token issued': (r) => r.status === 200 });\n}`,
      ),
      numbersMd: `The provider carries the audio, so the load on our side is the token route: ${fmt(v.connections)} concurrent sessions, each a ${stated ? `call of ${fmt(round(seconds / 60, 1))} minutes (the shortest the context states, \`${stated.evidence}\`)` : '10-minute conversation'} that needs one token, is ${fmt(tr.perSecond)} tokens/s (${fmt(tr.perMinute)} per minute${perMinute === tr.perMinute ? '' : `, run at ${fmt(perMinute)}`}) steady, and ${storm ? storm(fmt(v.connections)) : `a reconnect storm asks for ${fmt(v.connections)} tokens at once`}; the storm scenario drives that worst case. Run against a stubbed provider; never load-test the real API.`,
    };
  }
  const plan = loadPlan(ctx, events);
  // y-protocols messages are binary: k6 and Artillery cannot produce them, a real Yjs client can.
  if (yjsOverWebSocket(ctx)) return yjsLoad(ctx, plan);
  const { target, intervalS, rooms, join, send } = plan;
  const isRoom = roomKey(ctx, events);
  const json = (e: EventSpec | undefined) => (e ? loadPayload(e, ROOM_MARK, isRoom) : '{}');
  const jsonAny = json;
  const note = ctx.cite.cite(['load-test'], 'rt-plan');
  const tool = opsProfile(opsKind(ctx)).loadTool;
  // The skeletons live in rt-plan's operations note; the plan gives this project's values for them.
  const empty = { lang: 'js', code: '', numbersMd: numbersMd(ctx, plan) };
  if (tool === 'artillery-socketio') {
    const joinData = join ? (payloadInferred(ctx, join) ? json(join) : JSON.stringify(ROOM_MARK)) : '';
    return {
      ...empty,
      tool: 'Artillery (socketio engine)',
      scriptMd: `Script: Artillery's socketio skeleton${note} with ${code(`arrivalCount: ${target}`)} over ${fmt(RAMP_S)} s, ${join ? `${code('pickRoom')} over ${fmt(rooms)} rooms${plan.fleetRooms !== rooms ? ` in run 1 and over ${fmt(plan.fleetRooms)} in run 2 (${code(`arrivalCount: ${v.connections}`)})` : ''}, then emit ${code(join.name)} with ${code(joinData)}` : 'no join event'}${plan.setup?.event ? (plan.setup.rounds ? `, then, for the first virtual user of each room only (connected with the setup credential), emit ${code(plan.setup.event.name)} with ${code(roundIdOf(json(plan.setup.event), plan.setup.idField))} every ${fmt(intervalS)} s, a new ${code('__round__')} each time, while every virtual user emits ${code(send!.name)} with ${code(roundIdOf(json(send), plan.setup.idField))} once per round, after its ${plan.setup.parent} is made` : `, then, for the first virtual user of each room only (connected with the setup credential), emit ${code(plan.setup.event.name)} with ${code(json(plan.setup.event))} once`) : ''}${plan.perKind && plan.perKind.length > 1 ? `, then nested ${code('loop')}s so each event keeps its own rate: ${list(plan.perKind.map((k) => `${code(k.event.name)} with ${code(json(k.event))} every ${fmt(k.intervalS)} s`))} (the innermost loop emits ${code(plan.perKind[0]!.event.name)} with ${code(`think: ${plan.perKind[0]!.intervalS}`)}; each outer one emits its event once every ${list(plan.perKind.slice(1).map((k, i) => fmt(Math.max(1, Math.round(k.intervalS / plan.perKind![i]!.intervalS)))))} turns of the loop inside it)` : send ? `, then ${code(send.name)} with ${code(json(send))} every ${fmt(intervalS)} s (${code(`think: ${intervalS}`)})` : `, then ${code(`think: ${LIFETIME_S}`)} while listening`}; ${roomMarkMd(ctx, join)}${(plan.perKind ?? [{ event: send }]).some((k) => k.event && json(k.event).includes(UUID_MARK)) ? ` ${code(UUID_MARK)} must be a fresh UUID per message (set by a processor function, ${code('crypto.randomUUID()')}): the server dedups by that key, so one constant value would be acked as a duplicate every time after the first.` : ''} ${credentialMd(ctx, true)}`,
    };
  }
  if (tool === 'k6-sse') {
    const runs = `${fmt(target)} virtual users in run 1 and ${fmt(v.connections)} in run 2 (ramp 10 min, hold 10 min), checking that every event carries an id`;
    const req = streamRequest(ctx, send, isRoom);
    return {
      ...empty,
      tool: 'k6 with the xk6-sse extension',
      scriptMd: req
        ? `Script: the xk6-sse skeleton${note} with ${code(`sse.open(BASE + '${req.path}', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }, …)`)}: the answer stream is the response of a ${code('POST')}${req.evidence ? ` (the handler ${code(req.evidence)} exports)` : " (the plan's client reads it that way)"}, so each virtual user POSTs ${req.event ? `the body of ${code(req.event)} (Event protocol), ${code(`body=${req.body}`)}${req.body.includes(UUID_MARK) ? `, with a fresh UUID for ${code(UUID_MARK)} per request` : ''}${req.body.includes(ROOM_MARK) ? `, and ${code(ROOM_MARK)} for an id the virtual user's staging credential may use (one per virtual user)` : ''}` : 'the body the route reads'}, for ${runs}. ${credentialMd(ctx, false)}`
        : `Script: the xk6-sse skeleton${note} opening ${sseUrlMd(eventStreamPath(ctx.input.analysis, streamPath(ctx.layout)))} for ${runs}. ${credentialMd(ctx, false)}`,
    };
  }
  if (tool === 'k6-ws') {
    // The framing a must keeps; else an existing `{ type, … }` frame keeps the project's own shape
    // (the type beside its fields); else the standard envelope of the protocol note.
    // A provider protocol our server speaks (Pusher's) frames every message in its own keys (`{ event, data }`).
    const served = protocolTraits(ctx).served?.frame;
    const stated = served ?? statedFraming(ctx);
    const flat = (e: EventSpec) => e.origin === 'existing' && payloadInferred(ctx, e) && !protocolTraits(ctx).namedEvents;
    // The join's followed list is the skeleton's marker, expanded per virtual user to SUBS rooms.
    const json = (e: EventSpec | undefined) =>
      e && e === join && plan.follows ? JSON.stringify(setAt(JSON.parse(jsonAny(e)) as Record<string, unknown>, plan.follows.path, ROOMS_MARK)) : jsonAny(e);
    // One send per sender per object: the setup's and the send's id name this round's object (`__room__-__round__`).
    const rounds = plan.setup?.rounds && plan.setup.event ? plan.setup : null;
    const frame = (e: EventSpec | undefined) => (rounds && e && (e === rounds.event || e === send) ? roundIdOf(frame0(e), rounds.idField) : frame0(e));
    const frame0 = (e: EventSpec | undefined) =>
      e
        ? JSON.stringify(
            // A payload the code already reads under the framing's data key (`msg.payload.symbols`) is the frame less its name.
            stated && !e.payload.some((p) => p.name === stated.dataKey)
              ? { [stated.nameKey]: e.name, [stated.dataKey]: JSON.parse(json(e)) as unknown }
              : stated
                ? { [stated.nameKey]: e.name, ...(JSON.parse(json(e)) as object) }
                : flat(e)
                  ? { type: e.name, ...(JSON.parse(json(e)) as object) }
                  : { type: e.name, v: 1, payload: JSON.parse(json(e)) as unknown },
          )
        : '';
    // A library protocol runs the socket (graphql-ws): the virtual user speaks it, from its profile.
    const wire = protocolTraits(ctx).operations;
    if (wire) {
      const w = ctx.capacity.workload;
      const followed = ctx.input.analysis.events.find((e) => e.direction === 'server-to-client' && e.graphql) ?? null;
      const g = followed?.graphql;
      const script = wire.loadScript({
        field: followed && g?.returns ? { name: followed.name, args: g.args ?? [], ...(g.schema ? { schema: g.schema } : {}) } : null,
        document: g?.document ?? null,
        selection: (followed?.payload ?? []).filter((p) => /^(?:string|number|integer|boolean)(?: \| null)?$|^'/.test(p.type)).map((p) => p.name),
        params: ctx.input.analysis.connectionParams ?? [],
        origin: hasExistingOriginCheck(ctx),
        lifetimeMs: LIFETIME_S * 1000,
        roomMark: ROOM_MARK,
      });
      const fleetRooms = plan.fleetRooms;
      return {
        ...empty,
        tool: 'k6 (k6/ws)',
        code: fenceSafe(script.code),
        scriptMd: `${script.md} Run 1 with ${code(`TARGET=${target}`)}, ${code(`ROOMS=${Math.max(1, Math.ceil(target / Math.max(1, v.fanout)))}`)}; run 2 with ${code(`TARGET=${v.connections}`)}, ${code(`ROOMS=${fleetRooms}`)}${w.roomCount && w.roomCount.value === fleetRooms ? ` (${code(w.roomCount.evidence)})` : ' (connections ÷ the room size)'}.${note ? ` The run and thresholds follow rt-plan's load-test note${note}.` : ''}`,
      };
    }
    // Several streams: one SEND and EVERY_MS per stream (SEND, SEND_2, …), each at its own rate in both runs.
    const kinds = plan.perKind && plan.perKind.length > 1 ? plan.perKind : null;
    const subs = plan.follows ? `, ${code(`SUBS=${plan.follows.subs}`)}` : '';
    const frames = `${join ? `, ${code(`JOIN=${frame(join)}`)}${subs}` : ''}${plan.setup?.event ? `, ${code(`SETUP=${frame(plan.setup.event)}`)} (sent ${rounds ? "at each round's start" : 'once'} by the first virtual user of each room, which connects with the setup credential: ${ctx.input.analysis.stack.auth.some((a) => a.kind === 'jwt-query') ? `as the others present theirs (below), a cookie in ${code('SETUP_HEADERS')} or a ticket of its own fetched right before it connects` : code('SETUP_HEADERS')})` : ''}${
      kinds
        ? kinds
            .map(
              (k, i) =>
                `, ${code(`SEND${i === 0 ? '' : `_${i + 1}`}=${frame(k.event)}`)}, ${code(`EVERY_MS${i === 0 ? '' : `_${i + 1}`}=${Math.round(k.intervalS * 1000)}`)}`,
            )
            .join('')
        : send
          ? `, ${code(`SEND=${frame(send)}`)}`
          : ''
    }`;
    // Virtual users that only listen send nothing: no interval to set.
    const every = (ms: number) => (kinds || !send ? '' : `, ${code(`${rounds ? 'ROUND_MS' : 'EVERY_MS'}=${ms}`)}`);
    const platform = platformLoad(ctx, plan);
    if (platform)
      return {
        ...empty,
        numbersMd: platform.numbersMd,
        tool: 'k6 (k6/ws)',
        scriptMd: `Script: the ${code('k6/ws')} skeleton${note} against ${platform.entryMd}: run 1 with ${code(`TARGET=${platform.one.target}`)}, ${code('ROOMS=1')}${every(platform.one.everyMs)}; run 2 with ${code(`TARGET=${v.connections}`)}, ${code(`ROOMS=${platform.rooms}`)}${platform.big ? `, ${code(`BIG_ROOMS=${platform.big.rooms}`)}, ${code(`BIG_SIZE=${platform.big.size}`)}` : ''}${every(Math.round(intervalS * 1000))}; both${frames.replace(/^,/, '')}. ${code('WS_PATH')} is the path the client opens for a room, with ${code(ROOM_MARK)} where the room id goes. ${credentialMd(ctx, false)}`,
      };
    return {
      ...empty,
      tool: 'k6 (k6/ws)',
      scriptMd: `Script: the ${code('k6/ws')} skeleton${note} with ${code(`TARGET=${target}`)}, ${code(`ROOMS=${rooms}`)}${every(Math.round(intervalS * 1000))}${frames}${join || plan.pickedBy ? `; run 2 with ${code(`TARGET=${v.connections}`)}, ${code(`ROOMS=${plan.fleetRooms}`)}${subs}` : ''}; ${code('WS_PATH')} is the path the server upgrades on. ${credentialMd(ctx, false)}`,
    };
  }
  // Our side is HTTP only (a managed provider holds the sockets): load the routes we run.
  const own = profileOf(ctx).selfHostedServer;
  if (own)
    return {
      ...empty,
      tool: 'k6 (HTTP)',
      numbersMd: `${own.label} holds the ${fmt(v.connections)} connections and makes ${ctx.capacity.fanoutUnstatedMd ? `the deliveries (${fmt(v.msgRate)} publishes/s × the subscribers of each channel, which the context does not state)` : `the ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s`} on nodes we run; rt-plan has no capacity model for it, so load a staging ${own.label} with the production config (its own benchmark tooling or a client speaking its protocol) to measure connections and memory per node. Pass when our token and publish routes answer within 300 ms at p95 and the error rate stays under 0.05%.`,
      scriptMd: `Our API only signs tokens and publishes: drive those routes with ${code('k6/http')} at the modelled ${fmt(v.msgRate)} publishes/s${defaultRateMd(ctx.capacity) ? ` (${defaultRateMd(ctx.capacity)!.long})` : ''} and a reconnect storm of ${fmt(v.connections)} token requests at once, against staging, never production. ${credentialMd(ctx, false)}`,
    };
  // Clients publish to each other through the provider (LiveKit data messages): the modelled rate never reaches a route of ours.
  const peer = managedProvider(ctx.input)?.peerMessages === true;
  // Where a reconnect keeps the credential the SDK holds, a drop never reaches our route: its peak is every page loading at once.
  const calls = managedProvider(ctx.input)?.credentialCallsMd;
  // Where every reconnect signs each channel again, the storm is counted in connections, each asking once per channel it had.
  const reauth = managedProvider(ctx.input)?.reconnectAuthMd;
  const storm = (what: string): string =>
    calls
      ? `${fmt(v.connections)} ${what} at once, one per page that connects (the worst case)`
      : reauth
        ? `a reconnect storm of ${fmt(v.connections)} connections at once, each asking for one authorization per private or presence channel it had subscribed (${reauth})`
        : `a reconnect storm of ${fmt(v.connections)} ${what} at once`;
  const dropMd = calls ? ` A network-wide drop does not reach the route: ${calls}.` : '';
  return {
    ...empty,
    tool: 'k6 (HTTP)',
    numbersMd: `The provider holds the ${fmt(v.connections)} connections and makes the ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s; its plan's quotas, not our instances, bound them${quotaShort(ctx)}. Pass when the routes answer within 300 ms at p95 and the error rate stays under 0.05%.`,
    scriptMd: peer
      ? `Clients publish their ${fmt(v.msgRate)} messages/s straight to the provider, not through a route of ours: drive our token route with ${code('k6/http')} at ${storm('token requests')}, against a separate test app within the provider's quota, never the production app; the messages themselves are the provider's load, measured with its own client SDK in that test app.${dropMd} ${credentialMd(ctx, false)}`
      : `Our servers only authorize subscriptions and publish: drive those routes with ${code('k6/http')} at the modelled ${fmt(v.msgRate)} publishes/s${defaultRateMd(ctx.capacity) ? ` (${defaultRateMd(ctx.capacity)!.long})` : ''} and ${storm('authorizations')}, against a separate test app within the provider's quota, never the production app.${dropMd} ${credentialMd(ctx, false)}`,
  };
}

/**
 * The stream's URL in the script. A path parameter as the route declares it (`:matchId`,
 * `[matchId]`, `{matchId}`) is not a URL: the script puts `__room__` there, a real id per virtual user.
 */
function sseUrlMd(path: string): string {
  const params: string[] = [];
  const url = path.replace(/:(\w+)|\[(?:\.\.\.)?(\w+)\]|\{(\w+)\}/g, (_m, a?: string, b?: string, c?: string) => {
    params.push(a ?? b ?? c ?? '');
    return ROOM_MARK;
  });
  if (params.length === 0) return code(`BASE + '${path}'`);
  return `${code(`BASE + '${url}'`)} (the route's ${list(params.map((x) => code(x)))} is a path parameter: ${code(ROOM_MARK)} stands for one that exists in staging, spread over the virtual users)`;
}

/**
 * A stream that is the response of a POST (a fetch reader of the answer stream): the path, the
 * exported handler that answers it where the code shows one, and the body each request carries
 * (the event the plan sends over it). Null for an EventSource stream, which is a GET.
 */
function streamRequest(
  ctx: DesignCtx,
  send: EventSpec | undefined,
  isRoom: (name: string) => boolean,
): { path: string; evidence: string | null; event: string | null; body: string } | null {
  if (!fetchStream(ctx)) return null;
  const path = streamPath(ctx.layout);
  const handler = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'route-handler' && f.name === `POST ${path}`);
  return {
    path,
    evidence: handler?.evidence ?? null,
    event: send?.name ?? null,
    body: send ? loadPayload(send, ROOM_MARK, isRoom) : '{}',
  };
}

/** The credential the load test presents, as the project authenticates today. */
function credentialMd(ctx: DesignCtx, socketIo: boolean): string {
  // The code already checks Origin at the upgrade, and a load tool sends none unless told: without one every virtual user may be refused.
  // (Socket.IO's cors option answers browsers only; it refuses no client that sends no Origin.)
  const origin =
    !socketIo && hasExistingOriginCheck(ctx)
      ? ` Each also sets an ${code('Origin')} header the server allows: the code checks ${code('Origin')} at the upgrade, and a load tool sends none unless told.`
      : '';
  return `${credentialOnlyMd(ctx, socketIo)}${origin}`;
}

function credentialOnlyMd(ctx: DesignCtx, socketIo: boolean): string {
  const open = rulesOut(ctx, 'login');
  if (open) return `Virtual users connect without a login, as the context requires (${quoteOf(open)}).`;
  // A provider protocol our server speaks with an anonymous handshake (Pusher's): no credential at connect.
  const served = protocolTraits(ctx).served;
  if (served) return served.loadCredentialMd;
  const kinds = new Set(ctx.input.analysis.stack.auth.map((a) => a.kind));
  if (kinds.has('jwt-header'))
    return socketIo ? 'Each virtual user sends a staging JWT as `auth: { token }`.' : 'Each virtual user sends a staging JWT in the `Authorization` header.';
  // The plan moves a token out of the URL (Security): virtual users authenticate as its check will, after the steps.
  if (kinds.has('jwt-query'))
    return (
      traitsOf(ctx).queryTokenLoadMd ??
      "Each virtual user authenticates as the plan's Security section has it, not with a token in the query string as the client does today (the plan takes it out of the URL): a staging session cookie, or a single-use ticket fetched over HTTPS right before each connect (one per virtual user and connect, since a ticket is spent on its first use)."
    );
  if (kinds.has('jwt-cookie') || kinds.has('session-cookie')) return 'Each virtual user sends a staging session cookie.';
  if (kinds.has('ephemeral-token')) return 'Each virtual user first fetches a token from the token route, as the browser does.';
  return "Each virtual user presents the credential the plan's handshake authentication accepts (a staging session or token).";
}

/** Binary frames (Yjs sync and awareness) cannot be sketched as JSON frames. */
function binary(e: EventSpec): boolean {
  return e.payload.some((p) => p.type.trim() === 'Uint8Array');
}

/** The document channel is the plan's own WebSocket, spoken by y-websocket clients. */
function yjsOverWebSocket(ctx: DesignCtx): boolean {
  return ctx.scenarios.includes('collab-editing') && speaksYProtocols(docChannel(ctx));
}

const EDITORS_PER_PROCESS = 1_000;

function yjsLoad(ctx: DesignCtx, p: LoadPlan): Plan['testing']['load'] {
  const v = ctx.capacity.values;
  const r = ctx.capacity.result;
  const docs = Math.max(1, Math.ceil(p.target / Math.max(1, roomSizeOf(ctx.capacity))));
  const editMs = Math.round(p.intervalS * 1000);
  const code = `// load/yjs-editors.mjs: node load/yjs-editors.mjs <first> <count>; run ${fmt(Math.ceil(p.target / EDITORS_PER_PROCESS))} processes of ${fmt(EDITORS_PER_PROCESS)} editors
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';

// y-websocket opens each socket with new WebSocketPolyfill(url[, protocols]): this one adds the staging
// session cookie as a header, as a browser does on the upgrade, so nothing goes in the URL
class SessionWebSocket extends WebSocket {
  constructor(url, protocols) { super(url, protocols, { headers: { cookie: process.env.LOAD_COOKIE } }); }
}

const TARGET = ${p.target}; // editors on one instance (run 1)
const DOCS = ${docs}; // ${fmt(roomSizeOf(ctx.capacity))} editors per document
const RAMP_MS = ${RAMP_S * 1000}, LIFETIME_MS = ${LIFETIME_S * 1000}, EDIT_MS = ${editMs};
const [first = 0, count = TARGET] = process.argv.slice(2).map(Number);

for (let i = first; i < first + count; i++) {
  setTimeout(() => {
    const doc = new Y.Doc();
    // the provider speaks y-protocols (binary sync and awareness), exactly like the browser
    const provider = new WebsocketProvider(process.env.BASE + '/yjs', 'load-doc-' + (1 + (i % DOCS)), doc, {
      WebSocketPolyfill: SessionWebSocket, // a staging user's session, allowed on load-doc-* only
      disableBc: true, // else providers of one document in this process sync through lib0's BroadcastChannel, not the server
    });
    provider.awareness.setLocalStateField('user', { name: 'load-' + i });
    const text = doc.getText('content');
    const edit = setInterval(() => text.insert(0, 'x'), EDIT_MS); // one sync.update per edit
    setTimeout(() => { clearInterval(edit); provider.destroy(); }, LIFETIME_MS);
  }, (i * RAMP_MS) / TARGET);
}`;
  return {
    tool: 'Node script with y-websocket (one WebsocketProvider per virtual editor)',
    lang: 'js',
    code: fenceSafe(code),
    numbersMd: `k6 and Artillery can send binary frames but have no Yjs encoder for the y-protocols messages (${'`sync.step1`'}, ${'`sync.update`'}, ${'`awareness.update`'}), so each virtual editor is a real Yjs client. ${runStepsMd(ctx, p.target, 'editors').join(' ')} Run 1's editors work on ${fmt(docs)} documents (${fmt(v.fanout)} per document, the modelled fan-out), arriving over ${fmt(RAMP_S / 60)} minutes and staying ${fmt(LIFETIME_S / 60)}. Each editor inserts one character every ${fmt(p.intervalS)} s (${fmt(round(p.perUserRate, 4))} updates/s per editor, as modelled): run 1 produces ${fmt(round(p.target * p.perUserRate, 2))} updates/s, run 2 ${fmt(v.msgRate)} updates/s and ${fmt(r.deliveriesPerSecond)} deliveries/s. Pass when every document converges (compare ${'`Y.encodeStateVector`'} of two editors per document after the run) and the error rate stays under 0.05%.`,
  };
}

const RAMP_S = 600;
const LIFETIME_S = 1200;
const ROOM_MARK = '__room__';
const ROOM_FIELD = /^(room|roomId|room_id|channel|channelId|topic)$/;

interface LoadPlan {
  /** One instance at its usable capacity: the figure the capacity model claims. */
  target: number;
  intervalS: number;
  rooms: number;
  perUserRate: number;
  join: EventSpec | undefined;
  send: EventSpec | undefined;
  /**
   * One send per stream of traffic, each at its own rate (cursor positions at theirs, card moves at
   * theirs), highest rate first; absent where a stream has no client event of its own.
   */
  perKind?: { kind: string; event: EventSpec; perUserRate: number; intervalS: number }[];
  /** The client events the sketch could send. */
  inbound: EventSpec[];
  /** The server sends to the sockets picked by the sender's own connection attribute (`ws.classId`): how a virtual user without a join lands in a room. */
  pickedBy?: { value: string; evidence: string; sent: string }[];
  /** The rooms of run 2: the count the capacity model's rates use. */
  fleetRooms: number;
  /** What the sent event names that a client event makes first (a vote's poll): opened once per room before the sends. */
  setup?: LoadSetup;
  /** The join names a list of entities (`symbols: string[]`): each virtual user follows `subs` of them. */
  follows?: LoadFollows;
}

interface LoadFollows {
  /** The join's list field (`symbols`), as a path from the payload (`payload`, `symbols`). */
  path: string[];
  /** Entities per virtual user: the context's typical count, else 1. */
  subs: number;
  /** The stated count, with its words; null where the context states none. */
  stated: { entity: string; evidence: string } | null;
  /** The rooms (entities) of each run: enough that each is followed by about the modelled fan-out. */
  rooms: number;
  fleetRooms: number;
}

/** `o` with the value at `path` set (an object made where a step is missing). */
function setAt(o: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return o;
  const inner = o[head];
  return {
    ...o,
    [head]: rest.length === 0 ? value : setAt(inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {}, rest, value),
  };
}

/** The marker the k6 skeleton replaces with the list of rooms a virtual user follows. */
const ROOMS_MARK = '__rooms__';

/**
 * Per-entity subscriptions in one join (`subscribe { symbols: string[] }`): each virtual user
 * follows as many entities as the context says one client does, spread over enough entities that
 * each has about the modelled fan-out of followers (connections × follows ÷ entities), in both runs.
 * Undefined where the join carries no list.
 */
export function followsOf(
  join: Pick<EventSpec, 'payload' | 'bare'> | undefined,
  typical: { value: number; entity?: string; evidence: string } | null,
  target: number,
  connections: number,
  fanout: number,
): LoadFollows | undefined {
  if (!join || join.bare) return undefined;
  // The list may sit in a body object the code reads (`msg.payload.symbols`): its path, one level deep at most.
  const isList = (p: Pick<PayloadField, 'type'>) => /^(?:string|number)\[\]$/.test(p.type.trim());
  const top = join.payload.find(isList);
  const nested = top ? undefined : join.payload.find((p) => (p.fields ?? []).some(isList));
  const path = top ? [top.name] : nested ? [nested.name, nested.fields!.find(isList)!.name] : null;
  if (!path) return undefined;
  const subs = Math.max(1, Math.round(typical?.value ?? 1));
  const per = Math.max(1, fanout);
  const rooms = (n: number) => Math.max(subs, Math.ceil((n * subs) / per));
  return {
    path,
    subs,
    stated: typical ? { entity: typical.entity ?? 'entities', evidence: typical.evidence } : null,
    rooms: rooms(target),
    fleetRooms: rooms(connections),
  };
}

interface LoadSetup {
  /** The object the sent event names (`poll`) and the field naming it (`pollId`). */
  parent: string;
  idField: string;
  /** The client event that makes it (the one of its events that carries its fields), or null when rt-plan cannot tell which. */
  event: EventSpec | null;
  /** Its fields besides the id: what it carries. */
  fields: string[];
  /** Its fields whose types the model does not know: the sketch's values are placeholders. */
  untyped: string[];
  /**
   * The sent event is kept once per sender per this object (one vote per (student, poll)): a repeat
   * is refused, so the rate comes from new objects, one per room every send interval, each sent to once.
   */
  rounds?: { by: string; sentence: string; at: string };
}

/** Under a second the interval keeps milliseconds: 30 msg/s per user is every 0.033 s, not a 0.1 s floor. */
function intervalOf(perUserRate: number): number {
  const every = 1 / Math.max(perUserRate, 0.0001);
  return every >= 1 ? round(every, 1) : Math.max(0.001, round(every, 3));
}

/**
 * Each stated stream sent by its own client event at its own rate: the capacity model sums the
 * streams, so one event at the summed rate would send chat at the cursor rate. Only where every
 * stream that is fanned out has an event of its own and their rates add up to the modelled one.
 */
function perKindSends(ctx: DesignCtx, inbound: readonly EventSpec[], perUserRate: number): LoadPlan['perKind'] {
  const c = ctx.capacity;
  if (c.sources.msgRate.kind !== 'context' || c.workload.scopedPeak) return undefined;
  const streams = c.workload.streams.filter((s) => !s.inbound && s.published > 0);
  if (streams.length === 0) return undefined;
  const connections = Math.max(1, c.values.connections);
  const picked = streams.map((s) => {
    const found = streamEventsReceived(s.kind, inbound);
    return { s, e: found.find((e) => e.origin === 'existing') ?? found[0] };
  });
  if (picked.some((x) => !x.e) || new Set(picked.map((x) => x.e!.name)).size !== picked.length) return undefined;
  const out = picked.map(({ s, e }) => ({ kind: s.kind, event: e!, perUserRate: s.published / connections, intervalS: intervalOf(s.published / connections) }));
  const sum = out.reduce((a, k) => a + k.perUserRate, 0);
  if (Math.abs(sum - perUserRate) > perUserRate * 0.001) return undefined;
  return out.sort((a, b) => b.perUserRate - a.perUserRate);
}

/** What each virtual user sends: one event at the modelled rate, or each stream's event at its own. */
function sendsMd(p: LoadPlan): string {
  if (p.setup?.rounds && p.setup.event && (!p.perKind || p.perKind.length < 2))
    return `sends ${code(p.send!.name)} once per ${p.setup.parent}, on a new ${p.setup.parent} every ${fmt(p.intervalS)} s (${fmt(round(p.perUserRate, 4))} msg/s per user, as modelled; below)`;
  if (!p.perKind || p.perKind.length < 2)
    return `sends ${code(p.send!.name)} every ${fmt(p.intervalS)} s (${fmt(round(p.perUserRate, 4))} msg/s per user, as modelled)`;
  return `sends each stream's event at its own rate: ${list(p.perKind.map((k) => `${code(k.event.name)} every ${fmt(k.intervalS)} s (${k.kind}, ${fmt(round(k.perUserRate, 4))} msg/s per user)`))}, ${fmt(round(p.perUserRate, 4))} msg/s per user in all, as modelled`;
}

/** Client events the sketch does not send because the context states no rate for them (`chat` beside stated cursor rates). */
/**
 * Another entity the context says clients follow ("everyone watching the workspace"), where the
 * virtual users join by the plan's own entity only: said to be outside this test, with no rate read.
 */
function otherFollowedMd(ctx: DesignCtx, p: LoadPlan): string {
  if (!p.join || !p.join.name.includes(ctx.entity)) return '';
  const w = ctx.capacity.workload;
  const others = (w?.named ?? []).filter((f) => f.entity !== ctx.entity);
  // A stated rate would be modelled (and belong in the test): only streams with none are named here.
  if (others.length === 0 || (w?.streams.length ?? 0) > 0) return '';
  const entities = [...new Set(others.map((f) => f.entity))];
  return ` The virtual users follow the ${ctx.entity} only: ${list(others.map((f) => `the ${f.entity} ${f.flow} stream`))} the context also names (${list([...new Set(others.map((f) => code(f.evidence)))])}) ${others.length === 1 ? 'is' : 'are'} not in this test, and the context states no rate for ${others.length === 1 ? 'it' : 'them'}; add virtual users that follow ${entities.length === 1 ? `a ${entities[0]}` : list(entities.map((e) => `a ${e}`))} once that traffic is known.`;
}

function unsentMd(p: LoadPlan, inbound: readonly EventSpec[]): string {
  if (!p.perKind) return '';
  const sent = new Set(p.perKind.map((k) => k.event.name));
  const rest = [
    ...new Set(
      inbound
        .filter(
          (e) =>
            e.origin === 'existing' &&
            e !== p.join &&
            e !== p.setup?.event &&
            !sent.has(e.name) &&
            !/join|leave|subscribe|watch|follow|sync|resume|auth|ping|pong|heartbeat|hello|^ack/i.test(e.name),
        )
        .map((e) => e.name),
    ),
  ];
  if (rest.length === 0) return '';
  return ` ${list(rest.map((n) => code(n)))} ${rest.length === 1 ? 'is' : 'are'} not sent: the context states no rate for ${rest.length === 1 ? 'it' : 'them'}, so ${rest.length === 1 ? 'it is' : 'they are'} not in the modelled load.`;
}

/** c2s events the audit found no server handler for: the load test must not rely on them. */
function unhandled(ctx: DesignCtx): Set<string> {
  const out = new Set<string>();
  for (const f of ctx.input.analysis.findings) {
    const m = f.id === 'event-name-mismatch' ? /'([^']+)'.*no server handler/.exec(f.message) : null;
    if (m?.[1]) out.add(m[1]);
  }
  return out;
}

/**
 * The connections of the load test's two runs. Run 1 loads one instance with the most this plan
 * ever puts on one (a failover's share, never above the capacity model's usable figure); run 2 is
 * the whole fleet at the peak. Run 1 is never above run 2: a peak smaller than one instance's
 * usable capacity never puts that many on one. `capped` says run 1 stops below the usable figure;
 * `same` says both runs hold the same count (run 2 then adds instances, not connections).
 */
export function loadRuns(
  r: { usablePerInstance: number; failoverPerInstance: number },
  connections: number,
): { one: number; two: number; capped: boolean; same: boolean } {
  const two = Math.max(1, connections);
  const one = Math.max(1, Math.min(r.usablePerInstance, r.failoverPerInstance, two));
  return { one, two, capped: one < r.usablePerInstance, same: one === two };
}

/**
 * Run 2's rooms: the fleet at the modelled room size (connections ÷ room size), so each room holds
 * what the capacity model's run 2 figures assume; a per-room rate's count, or a stated count the
 * connections can fill at that size, where the rates use it. Never run 1's count.
 */
export function fleetRoomsOf(connections: number, size: number, stated: number | null, scoped: number | null): number {
  if (scoped !== null) return scoped;
  const room = Math.max(1, size);
  return stated !== null && stated * room <= connections ? stated : Math.max(1, Math.ceil(connections / room));
}

/** Existing event names where the project has them, else the proposed ones. */
export function loadPlan(ctx: DesignCtx, events: EventSpec[]): LoadPlan {
  const v = ctx.capacity.values;
  const r = ctx.capacity.result;
  const target = loadRuns(r, v.connections).one;
  const perUserRate = v.msgRate / Math.max(1, v.connections);
  // Under a second the interval keeps milliseconds: 30 msg/s per user is every 0.033 s, not a
  // 0.1 s floor that would send a third of the stated rate.
  const every = 1 / Math.max(perUserRate, 0.0001);
  const intervalS = every >= 1 ? round(every, 1) : Math.max(0.001, round(every, 3));
  const skip = unhandled(ctx);
  const sendable = events.filter((e) => e.direction !== 'server-to-client' && !e.name.startsWith('sys:') && !skip.has(e.name) && !binary(e));
  // A typing event is never the one send of the sketch; it is sent only where the context models a typing stream, at that stream's rate.
  const inbound = sendable.filter((e) => !/typing/i.test(e.name));
  const pick = (re: RegExp) =>
    inbound.find((e) => e.origin === 'existing' && re.test(e.name)) ?? inbound.find((e) => e.origin === 'proposed' && re.test(e.name));
  // "watch" / "follow" subscribe too; "unwatch" / "unsubscribe" do not.
  const join = pick(/(?<!un)(?:join|subscribe|watch|follow|hello)/i);
  // Where no name says "send", the events the project's clients already send (a handler in the
  // code) are what they send: the first one that is not a join, leave, resync, auth or keepalive,
  // nor a request the server answers through its acknowledgement (`getDatabaseSize`, `addProxy`):
  // a command a user gives now and then, not the stream the modelled rate is about.
  const send =
    pick(/message|send|mutate|update|publish|post|request/i) ??
    inbound.find(
      (e) =>
        e.origin === 'existing' && e !== join && !e.acked && !/join|leave|subscribe|watch|follow|sync|resume|auth|ping|pong|heartbeat|hello|^ack/i.test(e.name),
    );
  const perKind = perKindSends(ctx, sendable, perUserRate);
  const sent = perKind ? perKind.map((k) => k.event.name) : send ? [send.name] : [];
  // Without a join, the server may pick a message's recipients by the sender's own connection
  // (`ws.classId`): the virtual users then land in rooms by how they connect, as many as the model's.
  const picked = (ctx.input.analysis.modelFacts ?? [])
    .filter((f) => f.kind === 'scoped-send' && sent.includes(f.name))
    .map((f) => ({ value: f.value ?? '', evidence: f.evidence, sent: f.store ?? '' }));
  const size = Math.max(1, roomSizeOf(ctx.capacity));
  const rooms = join || picked.length > 0 ? Math.max(1, Math.ceil(target / size)) : 1;
  const w = ctx.capacity.workload;
  // Run 2 spreads the fleet over the rooms the rates use: a per-room rate's count, else a stated count the connections can fill.
  const scoped = w.streams.find((x) => x.scope?.room && x.scope.count !== null)?.scope?.count;
  const fleetRooms = fleetRoomsOf(v.connections, size, w.roomCount?.value ?? null, scoped ?? null);
  const setup = send ? setupOf(ctx, perKind ? perKind[0]!.event : send, inbound) : undefined;
  // Only the k6/ws skeleton expands the followed list; the entities are the rooms it spreads users over.
  const follows = opsProfile(opsKind(ctx)).loadTool === 'k6-ws' ? followsOf(join, w.follows.typical, target, v.connections, v.fanout) : undefined;
  const extra = {
    ...(picked.length > 0 ? { pickedBy: picked } : {}),
    fleetRooms: follows?.fleetRooms ?? fleetRooms,
    ...(setup ? { setup } : {}),
    ...(follows ? { follows } : {}),
  };
  const roomsOf = follows?.rooms ?? rooms;
  if (perKind) return { target, intervalS, rooms: roomsOf, perUserRate, join, send: perKind[0]!.event, perKind, inbound, ...extra };
  return { target, intervalS, rooms: roomsOf, perUserRate, join, send, inbound, ...extra };
}

/** A payload field that names a thing by id (`pollId`, `id`). */
const ID_FIELD = /^id$|[a-z]Id$/;

/**
 * The sent event names an object of the code's own (a vote names its poll by `pollId`) that a
 * client event makes: of that object's client events, the one that carries its fields (`poll:open`
 * with `question` and `options`, not `poll:close` with the id only). Undefined when the sent event
 * lives in no such object; `event` null when its client events do not say which one makes it.
 */
function setupOf(ctx: DesignCtx, send: EventSpec, inbound: readonly EventSpec[]): LoadSetup | undefined {
  const core = coreOf(ctx);
  const own = core.objects.find((o) => o.origin === 'code' && o.events.some((e) => e.name === send.name && e.direction !== 'server-to-client'));
  const parentName = own?.parent?.field;
  const parent = parentName ? core.objects.find((o) => o !== own && o.origin === 'code' && o.name === parentName && o.kind !== 'derived') : undefined;
  if (!parent) return undefined;
  const idField = parent.id?.field ?? `${parent.name}Id`;
  if (!send.payload.some((p) => p.name === idField)) return undefined;
  const makers = inbound.filter(
    (e) => e.origin === 'existing' && e !== send && parent.events.some((x) => x.name === e.name && x.direction !== 'server-to-client'),
  );
  if (makers.length === 0) return undefined;
  const fieldsOf = (e: EventSpec) =>
    (ctx.input.analysis.events.find((x) => x.name === e.name && x.direction === 'client-to-server')?.payload ?? []).filter((p) => !ID_FIELD.test(p.name));
  const ranked = makers.map((e) => ({ e, fields: fieldsOf(e) })).sort((a, b) => b.fields.length - a.fields.length);
  const top = ranked[0]!;
  // A once-per-sender object kept per this parent (the plan's own rule, Event protocol): one send per virtual user per parent.
  const once = own?.decision.conflict === 'once-per-user' && own.oncePer?.per === parent.name ? own.oncePer : null;
  const rounds = once ? { rounds: { by: once.by ?? 'user', sentence: once.sentence, at: once.at } } : {};
  if (top.fields.length === 0 || (ranked[1] && ranked[1].fields.length === top.fields.length))
    return { parent: parent.name, idField, event: null, fields: [], untyped: [], ...rounds };
  return {
    parent: parent.name,
    idField,
    event: top.e,
    fields: top.fields.map((p) => p.name),
    untyped: top.fields.filter((p) => p.type.trim() === 'unknown').map((p) => p.name),
    ...rounds,
  };
}

/** Proposed events have catalog payloads; existing ones only when the analyzer inferred them. */
function payloadInferred(ctx: DesignCtx, e: EventSpec): boolean {
  if (e.origin !== 'existing') return true;
  const seen = ctx.input.analysis.events.find((x) => x.name === e.name);
  // A bare room id (the handler passes it to `socket.join`) is what the sketch sends: inferred, not guessed.
  return (seen?.payload ?? []).length > 0 || seen?.bare !== undefined;
}

/** How a virtual user lands in its room without a join: the connection attribute the server picks recipients by. */
function pickedMd(p: LoadPlan): string {
  if (!p.pickedBy) return '';
  const values = [...new Set(p.pickedBy.map((x) => x.value))];
  const sends = p.pickedBy.map(
    (x) => `${x.sent ? code(x.sent) : 'its answer'} to the sockets picked by the sender's own ${code(x.value)} (${code(x.evidence)})`,
  );
  return ` There is no join: the server sends ${list(sends)}, so the virtual users of one room connect with the same ${list(values.map((x) => code(x)))} and each room's with its own; rt-plan does not read where the server sets ${values.length === 1 ? 'it' : 'them'} on a connection, so the staging credentials must carry whatever it comes from.`;
}

/**
 * The object the sends name, made first: one per room before the sends, with the credential its
 * handler's check lets through; or, where rt-plan cannot tell which client event makes it, what
 * the run then cannot show.
 */
function setupMd(ctx: DesignCtx, p: LoadPlan): string {
  const s = p.setup;
  if (!s || !p.send) return '';
  const names = `${code(p.send.name)} names a ${s.parent} by ${code(s.idField)}`;
  if (!s.event)
    return ` ${names}, and rt-plan cannot tell which client event makes one, so it cannot say the sends reach ${s.parent}s that exist: create one per room before the run, or it may measure no deliveries at all.`;
  const checks = eventChecksMd(ctx, [s.event.name]);
  const who = checks
    ? `connected with a staging credential that its handler's check lets through (${checks.md})`
    : "with any virtual user's credential (rt-plan's reading of its handler shows no check of the connection)";
  const effect = p.pickedBy?.length
    ? `, and the ${list([...new Set(p.pickedBy.map((x) => code(x.sent)).filter((x) => x !== '``'))])} it triggers reaches the room`
    : '';
  if (s.rounds) {
    const every = fmt(p.intervalS);
    return ` ${names}, a ${s.parent} a client makes first (rt-plan's reading: of the ${s.parent}'s client events, ${code(s.event.name)} carries its fields ${list(s.fields.map((x) => code(x)))}), and the plan keeps one ${code(p.send.name)} per (${s.rounds.by}, ${s.parent}) (Event protocol; context: "${text(s.rounds.sentence)}", ${code(s.rounds.at)}): a second one for the same ${s.parent} is refused and changes nothing, so the sends come from new ${s.parent}s, not from repeats. One virtual user per room, ${who}, sends ${code(s.event.name)} every ${every} s with a new ${code(s.idField)} (the room's id and the round's number), and every virtual user of the room sends one ${code(p.send.name)} for it, spread over the round after the ${s.parent} is made: one ${code(p.send.name)} per virtual user every ${every} s, as modelled${effect}.${untypedMd(ctx, p, s)}`;
  }
  return ` ${names}, a ${s.parent} a client makes first (rt-plan's reading: of the ${s.parent}'s client events, ${code(s.event.name)} carries its fields ${list(s.fields.map((x) => code(x)))}): before the sends, one virtual user per room, ${who}, sends ${code(s.event.name)} once with that room's ${code(s.idField)}, so every ${code(p.send.name)} names a ${s.parent} that exists${effect}.${untypedMd(ctx, p, s)}`;
}

/** The placeholders among the setup's and the send's values: fields whose types rt-plan's model does not know. */
function untypedMd(ctx: DesignCtx, p: LoadPlan, s: LoadSetup): string {
  if (!p.send || !s.event) return '';
  // The sent event's own fields of unknown type (a vote's `option`) are placeholders as much as the setup's.
  const sendUntyped = (ctx.input.analysis.events.find((x) => x.name === p.send!.name && x.direction === 'client-to-server')?.payload ?? [])
    .filter((f) => f.name !== s.idField && !ID_FIELD.test(f.name) && f.type.trim() === 'unknown')
    .map((f) => f.name);
  const holders = [
    ...(s.untyped.length > 0 ? [`${list(s.untyped.map((x) => code(x)))} in ${code(s.event.name)}`] : []),
    ...(sendUntyped.length > 0 ? [`${list(sendUntyped.map((x) => code(x)))} in ${code(p.send.name)}`] : []),
  ];
  return holders.length > 0
    ? ` The values of ${holders.join(', and ')} are placeholders: their types are not in rt-plan's model of the code, so set ones the handlers accept, or the sends may be refused and deliver nothing.`
    : '';
}

/** The object id in a frame (`"pollId":"__room__"`) naming the round's object instead (`"pollId":"__room__-__round__"`). */
function roundIdOf(frame: string, idField: string): string {
  return frame.split(`"${idField}":"${ROOM_MARK}"`).join(`"${idField}":"${ROOM_MARK}-__round__"`);
}

/** The room key fields: the generic names, and the value the project's room names are built from (`boardId` of `board:{boardId}`). */
function roomKey(ctx: DesignCtx, events: readonly EventSpec[] = []): (name: string) => boolean {
  // The project's room names and the plan's own per-entity channels (`note/{noteId}`) name the key a message is routed by.
  const keys = new Set([...projectRooms(ctx).map((r) => r.name), ...events.map((e) => e.channel)].flatMap((n) => channelParts(n)?.param ?? []));
  // The entity a stream is stated per, or clients follow ("per symbol", "20 symbols"): a field named for it (`symbol`, `symbolId`) names the room.
  const w = ctx.capacity.workload;
  const nouns = [
    ...w.streams.flatMap((x) => (x.scope && !x.scope.room ? [x.scope.noun] : [])),
    // Both forms: the entity as stated and its singular (`statuses` → status, `addresses` → address).
    ...(w.follows.typical?.entity ? [w.follows.typical.entity, singular(w.follows.typical.entity)] : []),
  ].filter((n) => /^[a-z]+$/i.test(n));
  for (const n of nouns) keys.add(n).add(`${n}Id`);
  return (name) => ROOM_FIELD.test(name) || keys.has(name);
}

function loadPayload(e: EventSpec, room: string, isRoom: (name: string) => boolean = (n) => ROOM_FIELD.test(n)): string {
  // A both-ways event whose clients send something else than the server's object: the sketch sends what the clients send.
  if (e.sent && e.origin === 'existing' && e.direction === 'both') {
    const { sent, ...rest } = e;
    return sent.bare ? loadPayload({ ...rest, bare: sent.bare, payload: [] }, room, isRoom) : '{}';
  }
  // A bare payload stays one: a room id (by its name) is the picked room, anything else a sample of its type.
  if (e.bare)
    return JSON.stringify(e.bare.room || isRoom(e.bare.name ?? '') ? room : /number|integer/.test(e.bare.type) ? 0 : `load-${e.bare.name ?? 'value'}`);
  // Where no sender shows the payload, the fields the project's handler reads (optional in the catalog, since only read)
  // are all the code says it needs, so the sketch sends them; a proposed optional field is never sent.
  const fromCode = e.payload.filter((p) => p.description?.startsWith('inferred from'));
  const onlyRead = e.origin === 'existing' && fromCode.length > 0 && fromCode.every((p) => p.optional);
  // The key a message is routed by (its room) is sent even where the catalog marks it optional: without it the message reaches no one.
  const fields = e.payload.filter((p) => !p.optional || isRoom(p.name) || (onlyRead && fromCode.includes(p)));
  // A body object the code lists the keys of (`payload: { agentId }`) is sent with those keys, the room key among them.
  const value = (p: Pick<PayloadField, 'name' | 'type' | 'fields'>): unknown =>
    p.fields && p.fields.length > 0
      ? Object.fromEntries(p.fields.map((q) => [q.name, value(q)]))
      : isRoom(p.name)
        ? room
        : DEDUP_KEY.test(p.name)
          ? UUID_MARK
          : p.type.trim() === 'unknown'
            ? // A coordinate the code does not type is still a number (`x`, `y` of a cursor).
              /^(?:x|y|z|dx|dy|lat|lng|lon)$/i.test(p.name)
              ? 0
              : `load-${p.name}`
            : sample(p as PayloadField);
  return JSON.stringify(Object.fromEntries(fields.map((p) => [p.name, value(p)])));
}

/** What `__room__` stands for: the picked room, or the id the project's room name is built from. */
function roomMarkMd(ctx: DesignCtx, join: EventSpec | undefined): string {
  const fields = join ? (join.bare ? [join.bare.name ?? ''] : join.payload.map((p) => p.name)) : [];
  const room = projectRooms(ctx).find((r) => fields.includes(channelParts(r.name)?.param ?? ''));
  const parts = room ? channelParts(room.name) : null;
  if (!room || !parts) return `${code(ROOM_MARK)} stands for the picked room.`;
  return `${code(ROOM_MARK)} stands for the picked ${code(parts.param)}, so the server's existing room naming (${code(room.name)}, ${text(room.evidence)}) puts each virtual user in ${code(`${parts.scope}${parts.sep}${ROOM_MARK}`)}.`;
}

/**
 * The platform holds the sockets (one object per room): there is no instance of ours to fill.
 * Run 1 puts the largest room on one room's URL, so every connection reaches the one unit whose
 * limit exists; run 2 spreads every connection over the rooms through the platform's entry URL.
 */
function platformLoad(
  ctx: DesignCtx,
  p: LoadPlan,
): { numbersMd: string; entryMd: string; rooms: number; one: { target: number; everyMs: number }; big?: { rooms: number; size: number } } | null {
  const t = profileOf(ctx).loadTarget;
  if (!t || runsOwnFleet(ctx)) return null;
  const v = ctx.capacity.values;
  const w = ctx.capacity.workload;
  const big = w.largestRoom ?? w.room;
  const n = big?.value ?? Math.max(1, roomSizeOf(ctx.capacity));
  // Where the broadcasts leave the sender out, each message reaches the n − 1 others.
  const reach = ctx.capacity.senderExcluded ? n - 1 : n;
  const rate = w.scopedPeak && w.largestRoom ? w.scopedPeak.rate : p.perUserRate;
  const everyMs = Math.round(1000 / Math.max(rate, 0.0001));
  const rooms = p.fleetRooms;
  const published = round(n * rate, 2);
  const sends = p.send ? code(p.send.name) : 'a message';
  const each =
    p.perKind && p.perKind.length > 1
      ? sendsMd(p)
      : `sends ${sends} every ${fmt(everyMs / 1000)} s (${fmt(round(rate, 4))} msg/s per user${w.scopedPeak && w.largestRoom ? `, the peak rate of ${code(w.scopedPeak.evidence)}` : ''})`;
  // Where Performance and scaling coalesces the stream, the room sends one message per window, whatever arrives
  // (only where it is the one stream: the per-room figures below do not split the others out).
  const coalesced = droppableCoalescedOf(ctx);
  const d = coalesced && !coalesced.others ? coalesced : null;
  const todayOut = `${fmt(round(published * reach, 2))} deliveries/s`;
  const senderNote = ctx.capacity.senderExcluded ? `, each to the other ${fmt(reach)}` : '';
  const out =
    d && published > d.perChannel
      ? `coalesced by the room to ${fmt(d.perChannel)} messages/s (one every ${fmt(1000 / d.perChannel)} ms, as Performance and scaling designs), ${fmt(round(d.perChannel * n, 2))} deliveries/s out (as the code sends today: ${todayOut}${senderNote})`
      : `${todayOut} out${senderNote ? ` (${senderNote.slice(2)})` : ''}`;
  const one = `Run 1: the ${big ? `${w.largestRoom ? 'largest ' : ''}room the context states, ${fmt(n)} connections (${code(big.evidence)})` : `one room of ${fmt(n)} (the modelled fan-out)`}, all on one room's URL so they reach ${t.holderMd}: ${t.limitMd}. Each ${each}: ${fmt(published)} msg/s in, ${out}.`;
  // Rooms of two classes: run 2 fills the large rooms first, as the context states them, and spreads the rest.
  const c = v.deliveries !== undefined ? w.roomClasses : null;
  const spread = c
    ? `${fmt(c.large.sockets)} of them in the ${fmt(c.large.count)} largest rooms of ${fmt(c.large.size)} (${code(c.large.evidence)}), the other ${fmt(c.rest.sockets)} spread over the other ${fmt(Math.max(1, rooms - c.large.count))} rooms`
    : `spread over ${fmt(rooms)} rooms`;
  const two = `Run 2: all ${fmt(v.connections)} connections through ${t.entryMd}, ${spread}${w.roomCount && w.roomCount.value === rooms ? ` (${code(w.roomCount.evidence)})` : ' (connections ÷ the room size)'}, each sending every ${fmt(p.intervalS)} s as modelled: ${d ? `${fmt(v.msgRate)} msg/s in, coalesced to ${fmt(d.published)} msg/s published and ${fmt(d.deliveries)} deliveries/s (${fmt(ctx.capacity.result.deliveriesPerSecond)} as the code sends today)` : `${fmt(v.msgRate)} msg/s published, ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s`}.`;
  return {
    numbersMd: `${one} ${two}${unsentMd(p, p.inbound)} Pass when p${fmt(deliveryPercentileOf(ctx))} delivery stays under the SLO and the error rate under 0.05% in both.`,
    entryMd: t.entryMd,
    rooms,
    one: { target: n, everyMs },
    ...(c ? { big: { rooms: c.large.count, size: c.large.size } } : {}),
  };
}

/**
 * The two runs, one sentence each: run 1 one instance, up to its usable capacity or, where the
 * peak never puts that many on one, up to the most it does; run 2 the whole fleet at the peak,
 * never fewer than run 1 (the same count says what run 2 adds instead).
 */
function runStepsMd(ctx: DesignCtx, target: number, noun: string): string[] {
  const v = ctx.capacity.values;
  const r = ctx.capacity.result;
  const runs = loadRuns(r, v.connections);
  const unmeasured = profileOf(ctx).unmeasured;
  const share = r.instances === 1 ? `a restart brings all ${fmt(r.failoverPerInstance)} back to it` : `a failover puts ${fmt(r.failoverPerInstance)} on it`;
  const one = runs.capped
    ? `Run 1: one instance up to the most this plan puts on one, ${fmt(target)} ${noun} (${
        r.instances === 1 ? 'the whole peak on the one instance' : `${share}: ⌈${fmt(v.connections)} ÷ (${fmt(r.instances)} − 1)⌉`
      }; the capacity model's usable ${fmt(r.usablePerInstance)} per instance is more than this plan ever puts on one instance, so the run stops here).`
    : `Run 1: one instance up to its usable capacity, ${fmt(target)} ${noun} (the capacity model's per-instance figure${unmeasured ? `, a Socket.IO figure: for ${unmeasured.library} keep adding connections past it until p${fmt(deliveryPercentileOf(ctx))} delivery breaks, and size the fleet and the alerts from where it does` : ''}; ${share}).`;
  const where = r.instances === 1 ? 'on the one instance' : `across ${fmt(r.instances)} instances`;
  const two = runs.same
    ? r.instances === 1
      ? `Run 2: the same ${fmt(v.connections)} ${noun} on the one instance as the whole fleet, held for the full run.`
      : `Run 2: the whole fleet, the same ${fmt(v.connections)} ${noun} ${where} (set the arrival count to ${fmt(v.connections)}): one instance down puts them all on one, so run 1 already held the peak; this run adds ${r.instances === 2 ? 'the other instance' : 'the other instances'} and what passes between them, not ${noun}.`
    : `Run 2: the whole fleet, ${fmt(v.connections)} ${noun} ${where} (set the arrival count to ${fmt(v.connections)}).`;
  return [one, two];
}

function numbersMd(ctx: DesignCtx, p: LoadPlan): string {
  const v = ctx.capacity.values;
  const r = ctx.capacity.result;
  // Where every broadcast goes to every connection, one instance's connections are all its recipients.
  const src = ctx.capacity.sources.fanout;
  const toAll = src.kind === 'code' && src.basis === 'broadcast';
  // Rooms the virtual users are spread over hold target ÷ rooms each: fewer than the modelled room
  // when the target does not fill them, and then each message reaches that many, not the model's.
  const roomed = !toAll && (p.join || p.pickedBy) && p.rooms > 0;
  const avg = p.target / Math.max(1, p.rooms);
  const reach = ctx.capacity.senderExcluded ? avg - 1 : avg;
  const short = roomed && Math.round(reach) < v.fanout;
  const fanout = toAll ? p.target : short ? reach : Math.min(v.fanout, p.target);
  const room = roomSizeOf(ctx.capacity);
  const oneInstance = round(p.target * p.perUserRate * fanout, short ? 0 : 2);
  const steps = runStepsMd(ctx, p.target, 'connections');
  const perRoomMd = short
    ? `${fmt(p.target)} users ÷ ${fmt(p.rooms)} rooms ≈ ${fmt(Math.round(avg))} per room: ${fmt(p.target)} do not fill ${fmt(p.rooms)} rooms of the modelled ${fmt(room)}, so in run 1 each message reaches about ${fmt(Math.round(reach))}${ctx.capacity.senderExcluded ? ' others' : ''}, not the modelled ${fmt(v.fanout)}`
    : `${fmt(p.target)} users ÷ ${fmt(p.rooms)} rooms ≈ ${fmt(Math.round(avg))} per room, ${ctx.capacity.senderExcluded ? `the modelled room of ${fmt(room)}, each message reaching the other ${fmt(v.fanout)}` : `the modelled fan-out of ${fmt(v.fanout)}`}`;
  const reply = replyOf(ctx);
  const streamsAt = (msgRate: number) => round(msgRate / reply!.perStream, 1);
  const traffic =
    reply && p.send
      ? ` Each virtual user sends ${code(p.send.name)} and reads the answer stream to its end before the next one; at ${fmt(reply.perStream)} ${reply.unit}/s per stream (as modelled) the modelled ${fmt(v.msgRate)} ${reply.unit}/s are ${fmt(streamsAt(v.msgRate))} streams open at once across the fleet${defaultRateMd(ctx.capacity) ? ` (${defaultRateMd(ctx.capacity)!.long})` : ''}: run 1 keeps ${fmt(streamsAt(p.target * p.perUserRate))} streams open (${fmt(round(p.target * p.perUserRate, 2))} ${reply.unit}/s), run 2 ${fmt(streamsAt(v.msgRate))} (${fmt(v.msgRate)} ${reply.unit}/s): pace each user's next request to keep that many running.${stubMd(reply)}`
      : p.send
        ? ` Each virtual user ${p.join ? (p.follows ? `joins with ${code(p.join.name)} (below) and ` : `joins one of ${fmt(p.rooms)} rooms with ${code(p.join.name)} (${perRoomMd}${fleetRoomsMd(ctx, p)}) and `) : p.pickedBy ? `is in one of ${fmt(p.rooms)} rooms (${perRoomMd}${fleetRoomsMd(ctx, p)}) and ` : ''}${sendsMd(p)}: run 1 publishes ${fmt(round(p.target * p.perUserRate, 2))} msg/s and delivers ${coalescedRun1Md(ctx, p.rooms, fanout, oneInstance, p.target) ?? `${fmt(oneInstance)}/s`}${toAll && p.target !== v.fanout ? ` (every broadcast in the code goes to every connection, so each reaches all ${fmt(p.target)} of run 1, not the fleet's ${fmt(v.fanout)})` : ''}; run 2 publishes ${fmt(v.msgRate)} msg/s and delivers ${coalescedMd(ctx) ?? `${fmt(r.deliveriesPerSecond)}/s`}.${p.join ? '' : pickedMd(p)}${setupMd(ctx, p)}`
        : ` Virtual users only listen; ${
            coalescedListenMd(ctx) ??
            (ctx.capacity.groupDelivery
              ? `the server side makes the modelled ${fmt(r.deliveriesPerSecond)} deliveries/s for the fleet, publishing one notification per ${ctx.capacity.groupDelivery.group} to every virtual user of it (so at most ${fmt(v.msgRate)} msg/s, fewer as ${ctx.capacity.groupDelivery.group}s hold more of them)`
              : `the server side publishes at the modelled ${fmt(v.msgRate)} msg/s, ${fmt(r.deliveriesPerSecond)} deliveries/s for the fleet`)
          }${defaultRateMd(ctx.capacity) ? ` (${defaultRateMd(ctx.capacity)!.long})` : ''}.${burstPhaseMd(ctx)}`;
  const joinNote =
    p.join && !payloadInferred(ctx, p.join) && opsProfile(opsKind(ctx)).loadTool === 'artillery-socketio'
      ? ` ${code(p.join.name)}'s payload was not inferred from the code: the sketch sends the room id as the whole payload; adjust it to the handler.`
      : '';
  return `${steps.join(' ')}${traffic}${followsMd(ctx, p)}${unsentMd(p, p.inbound)}${joinNote}${otherFollowedMd(ctx, p)} Pass when p${fmt(deliveryPercentileOf(ctx))} delivery stays under the SLO and the error rate under 0.05%.`;
}

/**
 * Run 2's rooms where they differ from run 1's: the fleet spread at the modelled room size (or the
 * count the rates use), so each room holds what the capacity model's run 2 figures assume.
 */
function fleetRoomsMd(ctx: DesignCtx, p: LoadPlan): string {
  if (p.fleetRooms === p.rooms) return '';
  const v = ctx.capacity.values;
  const per = Math.round(v.connections / Math.max(1, p.fleetRooms));
  const size = roomSizeOf(ctx.capacity);
  return `; run 2 spreads its ${fmt(v.connections)} over ${fmt(p.fleetRooms)} rooms, ≈ ${fmt(per)} per room${per === size ? `, the modelled room of ${fmt(size)} its figures assume` : per < size ? `, fewer than the modelled ${fmt(size)} its figures assume (${fmt(v.connections)} connections do not fill whole rooms)` : ', the room count its figures use'}`;
}

/**
 * What each virtual user follows with its join, and why nothing reaches it unless the ids it
 * follows are ones the server publishes on and lets it have.
 */
function followsMd(ctx: DesignCtx, p: LoadPlan): string {
  const f = p.follows;
  const v = ctx.capacity.values;
  // Listeners that join one room each: what they receive is what the server side publishes to those rooms.
  if (!f && p.join && !p.send) {
    if (!loadPayload(p.join, ROOM_MARK, roomKey(ctx, p.inbound)).includes(ROOM_MARK))
      return ` ${code(p.join.name)}'s payload names no room rt-plan can tell: set the field that names what the virtual user follows to its room's id, or it follows nothing and is sent nothing.`;
    const checks = eventChecksMd(ctx, [p.join.name]);
    return ` Each virtual user follows one room with ${code(p.join.name)}, spread over ${fmt(p.rooms)} in run 1 and ${fmt(p.fleetRooms)} in run 2 (about ${fmt(round(p.target / Math.max(1, p.rooms), 1))} and ${fmt(round(v.connections / Math.max(1, p.fleetRooms), 1))} each). The skeleton names them ${code('load-room-1')}, ${code('load-room-2')}, …: the staging server must publish on those ids (or map them to real ones)${checks ? ` and let the staging credential follow them (${checks.md})` : ''}, or nothing is sent to the virtual users.`;
  }
  if (!f || !p.join) return '';
  const noun = f.stated?.entity ?? 'entities';
  const how = f.stated
    ? `the ${fmt(f.subs)} ${noun} one client follows (context, ${code(f.stated.evidence)})`
    : `the context states no count, so one each (assumption)`;
  const checks = eventChecksMd(ctx, [p.join.name]);
  return ` Each virtual user follows ${fmt(f.subs)} ${noun} with ${code(p.join.name)}, ${how}, spread over ${fmt(f.rooms)} ${noun} in run 1 and ${fmt(f.fleetRooms)} in run 2, so each is followed by about ${fmt(v.fanout)}, the modelled fan-out: ${code(ROOMS_MARK)} in ${code('JOIN')} becomes that list (${code('SUBS')} ids from the virtual user's own room on). The skeleton names them ${code('load-room-1')}, ${code('load-room-2')}, …: the staging server must publish on those ids (or map them to real ones)${checks ? ` and let the staging credential follow them (${checks.md})` : ''}, or nothing is sent to the virtual users.`;
}

export function testingSection(ctx: DesignCtx, events: EventSpec[], modules: ScenarioModule[]): Plan['testing'] {
  const client = opsProfile(opsKind(ctx)).testClientMd;
  // A channel server's own subscribe command (Centrifugo) and a provider's own messages (a Gemini toolResponse) have no handler of ours.
  const handlers = [
    ...new Set(events.filter((e) => e.direction !== 'server-to-client' && !e.name.includes('.') && e.protocol === undefined).map((e) => e.name)),
  ]
    .slice(0, 5)
    .map((name) => code(name));
  // A Yjs-only plan has no JSON handlers, acks or seqs: its tests talk about documents and state vectors.
  const noSeq = stateVectors(ctx);
  const host = profileOf(ctx).socketHost;
  // What the plan has clients send to a server of ours: on a provider's wire those go as HTTP requests to our routes.
  // A join, leave or subscribe there is the SDK's channel attach, not a route of ours.
  const routed = [
    ...new Set(
      events
        .filter(
          (e) =>
            e.origin === 'proposed' &&
            e.direction !== 'server-to-client' &&
            !isSys(e) &&
            !/(^|[:._-])(un)?(subscribe|join|leave|watch)([:._-]|$)/i.test(e.name),
        )
        .map((e) => e.name),
    ),
  ];
  const unit = host
    ? // A provider holds the sockets: no handler of ours receives what clients send on its channels.
      `the client's message parsing as a pure function: a message from ${host.label} that fails its catalog type is ignored, not thrown${
        profileOf(ctx).noServer
          ? ''
          : `; our authorization route as a function of the session: credentials only for the channels the user may use (${host.authMd}), 401 without a session${
              routed.length > 0
                ? `; the routes that take ${list(routed.slice(0, 5).map((n) => code(n)))} as pure functions, with schema rejection of every body with one wrong field`
                : ''
            }`
      }`
    : handlers.length > 0
      ? !profileOf(ctx).receiveOnly
        ? `handlers as pure functions with a fake socket: ${list(handlers)}; schema rejection of every inbound payload with one wrong field`
        : `the POST handlers of ${list(handlers)} as pure functions; schema rejection of every POST body with one wrong field`
      : ctx.providerDirect
        ? providerUnit(ctx)
        : noSeq
          ? "the document endpoint's message filter: a frame whose first byte is not 0 (sync) or 1 (awareness), or above the size cap, is dropped"
          : profileOf(ctx).receiveOnly
            ? // A stream clients never send on: its unit is the resume, from an id to the events after it.
              `the stream's resume as a pure function: given the last id a client saw, it yields the events after it, in order and none twice`
            : protocolTraits(ctx).operations
              ? 'the subscription resolvers and their filters as pure functions: a published change reaches exactly the operations whose arguments select it'
              : protocolTraits(ctx).channels
                ? 'our token routes and our publish as functions: a subscription token is signed only for a channel the access check allows, and every publication matches its catalog type'
                : 'the outbound serializer as a pure function: every event it sends matches its catalog type';
  // Integration, contract, network-fault and latency tests follow rt-plan's operations note:
  // the plan names only what is this project's (its client, its events, its fleet).
  const note = ctx.cite.cite(['testing'], 'rt-plan');
  const removal = removalBudgetOf(ctx.input.sessions.requirements);
  const layers = [
    // A client that reconnects by itself has no backoff of ours to bound.
    { kind: 'Unit', whatMd: reconnectsItself(ctx) ? `${unit}.` : `${unit}; backoff delay bounds (${backoffBounds(ctx)}).` },
    ...modules.map((m) => ({ kind: m.title, whatMd: m.tests(ctx).join('; ') + '.' })),
    // The context bounds how soon a gone user's state disappears: the silent case is the one only a test shows.
    ...(removal
      ? [
          {
            kind: `Gone within ${spanMd(removal.ms)}`,
            whatMd: `a client that stops sending without closing (its network dropped as in the note's network-fault tests, or the process paused) has what it owned removed for the others within ${spanMd(removal.ms)}, and one that closes has it removed at once (${code(removal.at)}).`,
          },
        ]
      : []),
    {
      kind: 'Integration and contract',
      whatMd: `${profileOf(ctx).localServerMd ?? 'the real server on 127.0.0.1 port 0'} with ${noSeq ? `two ${code('y-websocket')} providers` : client}, the catalog's schemas on both sides, and the note's network-fault, many-tab and latency tests${note}.`,
    },
  ];
  // Killing an instance is a test of our fleet: where a platform or provider holds the connections there is none.
  const chaosMd = !runsOwnFleet(ctx)
    ? []
    : [
        `${ctx.capacity.result.instances === 1 ? 'Kill the one instance under load and start it again' : `Kill one of ${fmt(ctx.capacity.result.instances)} instances under load`}${ctx.capacity.result.pubsubPublishedPerSecond > 0 ? ', then restart the pub/sub broker during a broadcast' : ''}: every client of the killed one reconnects, ${ctx.capacity.result.instances === 1 ? 'all' : ctx.capacity.result.instances === 2 ? 'the survivor then holds' : 'each survivor then holds about'} ${fmt(ctx.capacity.result.failoverPerInstance)} connections${ctx.capacity.result.instances === 1 ? ' come back to it' : ''}, and ${noSeq ? "no persisted edit is lost (compare the documents' state vectors before and after)" : orderingOf(ctx).by === 'log-id' ? "no event is lost or shown twice (compare each client's last entry id with the log's)" : snapshotVersioned(ctx) ? 'every client ends on the latest snapshot (compare versions)' : orderingOf(ctx).record ? `no acked change is lost (compare each client's ${code(orderingOf(ctx).record!.field)} with the system of record's)` : protocolTraits(ctx).operations ? 'every client shows the current state once its refetch after the reconnect is done (compare what each shows with the system of record)' : seqless(ctx) ? "every client shows the current values once the server has answered its resubscribe (compare what each shows with the server's latest values)" : "every client ends at its channels' head seq once it has resynced (compare each client's last seq with the server's)"}.`,
      ];
  const latencyMd: string[] = [];
  // A library that owns the answer stream on a serverless host: no handlers, backoff or instances of ours to test.
  const sdk = sdkOwned(ctx);
  if (sdk) {
    const t = sdkTesting(sdk, fmt(ctx.capacity.values.connections));
    return {
      layers: [{ kind: 'Unit', whatMd: t.unitMd }, ...layers.slice(1, -1), { kind: 'Integration', whatMd: t.integrationMd }],
      load: t.load,
      chaosMd: profileOf(ctx).serverless ? [] : chaosMd,
      latencyMd,
    };
  }
  const external = profileOf(ctx).external;
  if (external) return { layers: externalLayers(ctx, layers, client), load: clientSoak(ctx), chaosMd, latencyMd };
  if (profileOf(ctx).noServer) return { layers: noServerLayers(ctx, layers), load: providerQuotaRun(ctx), chaosMd, latencyMd };
  return { layers, load: loadScript(ctx, events), chaosMd, latencyMd };
}

/**
 * A client-only repository: there are no handlers of ours, so the unit tests cover how the client
 * applies what it receives, and the integration tests run it against a stand-in for the server.
 */
function externalLayers(ctx: DesignCtx, layers: Plan['testing']['layers'], client: string): Plan['testing']['layers'] {
  const received = [
    ...new Set(ctx.input.analysis.events.filter((e) => e.origin === 'existing' && e.direction === 'server-to-client').map((e) => e.name)),
  ].slice(0, 5);
  const unit = `${received.length > 0 ? `how the client applies ${list(received.map((n) => code(n)))} to its state, as pure functions (an older or repeated message changes nothing)` : 'how the client applies each server message to its state, as pure functions'}; schema rejection of every server message with one wrong field; the requests it resends on every open`;
  return [
    { kind: 'Unit', whatMd: reconnectsItself(ctx) ? `${unit}.` : `${unit}; backoff delay bounds (${backoffBounds(ctx)}).` },
    ...layers.slice(1, -1),
    {
      kind: 'Integration and contract',
      whatMd: `a stand-in for the server on 127.0.0.1 port 0 (a ${code('ws')} server that speaks the documented protocol), with the app's own connection code running against it in a browser: drop the connection silently, close it with each documented close code, and check the client's reconnect, resubscribe and stale marking, plus the note's network-fault and many-tab tests${ctx.cite.cite(['testing'], 'rt-plan')}.`,
    },
  ];
}

/**
 * A managed provider with no server of ours: there are no handlers to unit-test, so the unit tests
 * cover how the client turns what the provider delivers into its state; the integration layer
 * keeps its local stack of the provider.
 */
function noServerLayers(ctx: DesignCtx, layers: Plan['testing']['layers']): Plan['testing']['layers'] {
  const received = [
    ...new Set(ctx.input.analysis.events.filter((e) => e.origin === 'existing' && e.direction !== 'client-to-server').map((e) => e.name)),
  ].slice(0, 5);
  const unit = `${received.length > 0 ? `how the client applies ${list(received.map((n) => code(n)))} to its state, as pure functions` : 'how the client applies each delivered event to its state, as pure functions'} (a repeated or older event changes nothing; a room switch leaves nothing of the old room); schema rejection of every Broadcast and Presence payload with one wrong field, since other clients send them`;
  return [{ kind: 'Unit', whatMd: `${unit}.` }, ...layers.slice(1)];
}

/**
 * No server of ours to load: the provider holds the connections, and its plan's quotas bound
 * them. What this repository owns is how many connections, channels and messages its clients use.
 */
function providerQuotaRun(ctx: DesignCtx): Plan['testing']['load'] {
  const v = ctx.capacity.values;
  return {
    tool: "the provider's client SDK against a test project",
    lang: 'js',
    code: '',
    numbersMd: `No server of ours runs, so no load test aims at a fleet: the provider holds the ${fmt(v.connections)} connections and makes the ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s, and its plan's quotas bound them${quotaShort(ctx)}. What this repository owns is its own use of those quotas: in a separate test project (never production), open ${fmt(v.connections)} clients (tabs of the production build, or ${opsProfile(opsKind(ctx)).testClientMd} in Node), move them between rooms and close some of them, and read the provider's Realtime usage reports. Pass when each client holds one connection and only the channels of the room it shows (the count does not grow with room switches), messages stay within the quota at the modelled ${fmt(v.msgRate)} msg/s, and the online list of every room lists each user once.`,
  };
}

/** The server is not ours to load: the load this repository owns is what one browser tab receives and keeps. */
function clientSoak(ctx: DesignCtx): Plan['testing']['load'] {
  const w = ctx.capacity.workload;
  const streams = w.streams.filter((x) => !x.inbound).map((x) => `${x.kind} at ${publishedMd(w, x, ctx.capacity.values.connections)}`);
  const reqs = ctx.input.sessions.requirements;
  // A byte budget in a client-only repository is the browser's: there is no server memory of ours to hold it.
  const memory = reqs.find((r): r is NumberRequirement => r.kind === 'number' && r.unit === 'bytes');
  const must = memory ? reqs.find((r) => r.kind === 'constraint' && r.evidence === memory.evidence) : undefined;
  const budgetMd = memory
    ? `, and the heap stays under ${statedBytesMd(memory)} for the whole run (context: "${text(must?.sentence ?? memory.sentence)}", ${code(memory.evidence)})`
    : '';
  return {
    tool: 'client soak against a stand-in server',
    lang: 'js',
    code: '',
    numbersMd: `The server is not in this repository, so no load test of ours aims at it: its owner sizes and tests it. What this repository owns is the browser side: the stand-in server above sends ${streams.length > 0 ? list(streams) : 'messages at the highest rate its documentation allows'} into one tab of the production build for a full working session, sampling the tab's JS heap every minute (Chrome DevTools Protocol ${code('Performance.getMetrics')}, ${code('JSHeapUsedSize')}). Pass when the heap shows no upward trend after the first minutes${budgetMd}, and the main thread keeps up (no long task over 50 ms in steady state).`,
  };
}

/** A provider-direct plan has no handlers of ours: its unit tests cover the token route and the tool-approval path. */
function providerUnit(ctx: DesignCtx): string {
  if (providersOf(ctx).some((p) => VOICE[p].signedJoinToken)) {
    return `the token route, with ${code('livekit-server-sdk')}'s ${code('AccessToken')} decoded: it is issued only to a signed-in user, its ${code('identity')} is that user's id (never a request parameter), and its only grant is ${code('roomJoin')} for the requested room the user may enter (no ${code('roomAdmin')}, ${code('roomCreate')} or ${code('roomList')}), with the route's TTL; the agent's tool-approval path against a stubbed room: a tool runs only after its ${code('confirmAction')} RPC answers approved, and a declined answer, an RPC error or the 60 s timeout leaves the data unchanged`;
  }
  const who = noSignInFound(ctx) ? 'only for a request from our own `Origin`, within the per-IP limit,' : 'only for a signed-in user';
  return `the token route: it mints a session token ${who} and never returns the provider key; the tool-approval path: a tool call applies only after the user approves its preview, a repeated decision for the same ${code(idOf(ctx))} applies it once, and a rejected one is still answered to the model`;
}

/** The unit-test bounds of the reconnect policy the plan actually uses. */
function backoffBounds(ctx: DesignCtx): string {
  const p = reconnectPolicy(ctx);
  const [a0, a1] = p.table;
  const ms = (a: { minMs: number; ceilingMs: number } | undefined) =>
    a ? (a.minMs === a.ceilingMs ? `${fmt(a.ceilingMs)} ms` : `[${fmt(a.minMs)}, ${fmt(a.ceilingMs)}] ms`) : '';
  if (p.kind === 'sse-retry') return `every \`retry:\` the server sends is in ${ms(a0)}`;
  const last = p.table[p.table.length - 1];
  return `attempt 0 in ${ms(a0)}, attempt 1 in ${ms(a1)}, never above ${fmt(last?.ceilingMs ?? 0)} ms; ${p.formulaMd}`;
}

/** A stated plan quota the load passes ("the Startup plan allows 500"), for the managed load test's numbers. */
function quotaShort(ctx: DesignCtx): string {
  const q = ctx.capacity.workload.quotas.find((r) => r.metric === 'concurrent-users' && r.value < ctx.capacity.values.connections);
  return q
    ? ` (the ${q.quota} the context states allows ${fmt(q.value)}, fewer than the ${fmt(ctx.capacity.values.connections)} at peak: see Performance and scaling)`
    : '';
}

/**
 * A reply a paid upstream generates: every virtual user's request would start a real generation
 * and run into the account's rate limits, so the load runs against a stub at the modelled rate.
 */
function stubMd(reply: { perStream: number; unit: string; paidUpstream?: string }): string {
  if (!reply.paidUpstream) return '';
  return ` Run it against a stub of ${reply.paidUpstream}, never the real one: each request would start a paid generation and count against the account's rate limits, which then decide the result. Behind an environment flag only staging sets (for example ${code('LLM_STUB=1')}), the server's call to ${reply.paidUpstream} is swapped for a canned ${reply.unit.replace(/s$/, '')} stream at ${fmt(reply.perStream)} ${reply.unit}/s per stream (the rate above; use the one measured from the real provider where you have it), so the run measures our streaming, not the provider. The real provider's time to first token is measured separately, with a few requests outside the load run.`;
}

/**
 * What the plan's coalescing makes of the broadcasts: a step's cap per channel, or Performance and
 * scaling's window for the one droppable stream. Clients still send at the modelled rate.
 */
function designedSends(ctx: DesignCtx): {
  perChannel: number;
  channels: number;
  published: number;
  deliveries: number;
  howMd: string;
  /** The streams not coalesced, per user, and the recipients of each of their messages. */
  othersPerUser?: number;
  othersFanout?: number;
  /** Each coalesced message goes to every member of its room (the sender too), not to the fan-out. */
  toMembers?: boolean;
} | null {
  const c = ctx.capacity.coalesced;
  if (c)
    return {
      perChannel: c.perSecond,
      channels: c.rooms,
      published: c.inputs.msgRate,
      deliveries: c.result.deliveriesPerSecond,
      howMd: `once step ${fmt(c.step)} coalesces the broadcasts to ${fmt(c.perSecond)}/s per channel`,
    };
  const d = droppableCoalescedOf(ctx);
  return d
    ? {
        perChannel: d.perChannel,
        channels: d.channels,
        published: d.published,
        deliveries: d.deliveries,
        howMd: `once the server coalesces ${d.kind} per ${d.noun} every ${fmt(1000 / d.perChannel)} ms, as Performance and scaling designs${d.others ? `, with ${list(d.others.kinds)} sent as today` : ''}`,
        ...(d.wanting < d.recipients ? { toMembers: true } : {}),
        ...(d.others ? { othersPerUser: d.others.published / Math.max(1, ctx.capacity.values.connections), othersFanout: d.others.fanout } : {}),
      }
    : null;
}

/** Run 2's deliveries where the plan coalesces the broadcasts: the designed figure, today's beside it. */
function coalescedMd(ctx: DesignCtx): string | null {
  const d = designedSends(ctx);
  return d ? `${fmt(d.deliveries)}/s ${d.howMd} (${fmt(ctx.capacity.result.deliveriesPerSecond)}/s as the code sends today)` : null;
}

/** Run 1's deliveries where the plan coalesces: each of its rooms sends at most the cap, to the members run 1 puts in it. */
function coalescedRun1Md(ctx: DesignCtx, rooms: number, reach: number, today: number, target: number): string | null {
  const d = designedSends(ctx);
  if (!d) return null;
  // The streams not coalesced still reach the fan-out of run 1's rooms, message by message.
  const others = d.othersPerUser ? target * d.othersPerUser * Math.min(reach, d.othersFanout ?? reach) : 0;
  // A room's coalesced message goes to every member run 1 puts in it (as the capacity model counts them), an entity's to its followers.
  const recipients = d.toMembers ? target / Math.max(1, rooms) : reach;
  const designed = round(Math.min(today, rooms * d.perChannel * recipients + others), 0);
  return designed < today ? `${fmt(designed)}/s ${d.howMd} (${fmt(today)}/s as the code sends today)` : null;
}

function coalescedListenMd(ctx: DesignCtx): string | null {
  const d = droppableCoalescedOf(ctx);
  return d
    ? `${d.kind} reach the server side at the modelled ${fmt(d.today)} msg/s, and it publishes them coalesced per ${d.noun} every ${fmt(1000 / d.perChannel)} ms, as Performance and scaling designs${d.others ? `, with ${list(d.others.kinds)} sent as today` : ''}: ${fmt(d.published)} msg/s, ${fmt(d.deliveries)} deliveries/s for the fleet (${fmt(ctx.capacity.values.msgRate)} msg/s and ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s as the code sends today)`
    : null;
}

/** A burst the context states (`bursts of 30 per minute`): a phase of the fleet run at that rate. */
function burstPhaseMd(ctx: DesignCtx): string {
  const burst = burstOf(ctx.capacity);
  if (!burst || burst.factor <= 1) return '';
  return ` Then a burst phase at the stated burst rate (\`${burst.evidence}\`): ${ctx.capacity.groupDelivery ? 'at most ' : ''}${fmt(burst.published)} msg/s, ${fmt(round(ctx.capacity.result.deliveriesPerSecond * burst.factor, 2))} deliveries/s, for a few minutes.`;
}
