// Security: who may do what per channel, and the controls every inbound frame passes
// through. Limits are numbers derived from the capacity inputs, not adjectives.
import type { EventSpec } from '../types.js';
import type { DesignCtx } from './context.js';
import type { Plan } from './types.js';
import { code, fmt, list, text } from './md.js';
import { formatBytes } from './capacity.js';

const VALIDATORS = ['zod', 'valibot', 'ajv', '@sinclair/typebox', 'joi', 'yup'];

export function payloadCap(ctx: DesignCtx): number {
  if (ctx.scenarios.includes('collab-editing')) return 1024 * 1024;
  let cap = 16 * 1024;
  while (cap < ctx.capacity.values.payloadBytes * 4) cap *= 2;
  return cap;
}

function ruleFor(channel: string, ctx: DesignCtx): string {
  if (channel.startsWith('room/')) return `the user is a member of ${code('roomId')} (checked on ${code('room:join')}, cached on the socket, re-checked when membership changes)`;
  if (channel.startsWith('user/')) return `${code('userId')} comes from the verified token, never from the payload`;
  if (channel.startsWith('conversation/')) return `the conversation belongs to the user; per-user quota on concurrent generations (2)`;
  if (channel.startsWith('doc/')) return `editor role on ${code('docId')} for updates, viewer role for sync and awareness only`;
  if (channel.startsWith('topic/')) return 'topic allow-list per role';
  if (channel === 'app/actions') return `${code('callId')} belongs to this user's live voice session; approval only from the same session`;
  if (channel.startsWith(`${ctx.entity}/`)) return `the user may read the ${ctx.entity} (same check as the HTTP API) before joining its channel`;
  if (channel === 'oai-events' || channel === 'gemini-live') return 'provider connection, authorized by the ephemeral token';
  return 'any authenticated user (assumption: tighten when the handler is touched)';
}

export function securitySection(ctx: DesignCtx, events: EventSpec[]): Plan['security'] {
  const channels = [...new Set(events.map((e) => e.channel))];
  const authz = channels.map((ch) => {
    const names = events.filter((e) => e.channel === ch && e.direction !== 'server-to-client').map((e) => e.name);
    return { target: ch, ruleMd: `${ruleFor(ch, ctx)}${names.length > 0 ? `; inbound: ${list(names.map((n) => code(n)))}` : ''}` };
  });
  const deps = new Set(ctx.input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies)));
  const validator = VALIDATORS.find((v) => deps.has(v));
  const cap = payloadCap(ctx);
  const capSetting = ctx.providerDirect
    ? 'tool-call arguments rejected above'
    : ctx.transport === 'socket.io' ? `${code(`maxHttpBufferSize: ${cap}`)} (default 1e6)` : ctx.transport === 'websocket' ? `${code(`maxPayload: ${cap}`)} (ws default 100 MiB)` : `request body limit ${fmt(cap)} bytes on POST routes`;
  const origin = ctx.providerDirect
    ? `the token route rejects a missing or foreign ${code('Origin')} and requires the session cookie (${code('SameSite=Lax')}), so another site cannot mint tokens for a signed-in user`
    : ctx.transport === 'socket.io'
      ? `${code('cors: { origin: [APP_ORIGIN] }')} plus ${code('allowRequest')} that rejects a missing or foreign ${code('Origin')}: CORS alone does not protect the WebSocket upgrade`
      : ctx.transport === 'websocket'
        ? `check ${code('req.headers.origin')} against an allow-list in the ${code('upgrade')} handler and answer 403 otherwise; browsers send Origin on every WebSocket handshake`
        : `same-origin stream with ${code('SameSite=Lax')} session cookie; reject cross-origin ${code('Origin')} on POST routes`;
  const avg = Math.round((ctx.capacity.values.msgRate / Math.max(1, ctx.capacity.values.connections)) * 1000) / 1000;
  const perConn = Math.max(10, Math.ceil(avg * 20));
  const inbound = events.filter((e) => e.direction !== 'server-to-client' && !e.name.includes('.'));
  const secretFindings = ctx.input.analysis.findings.filter((fd) => /secret|key|token/i.test(fd.id));
  const controls = [
    { label: 'Origin check (CSWSH)', valueMd: origin, sourceMd: ctx.cite.cite(['auth', 'origin', 'security']).trim() || 'OWASP WebSocket guidance' },
    { label: 'Schema validation', valueMd: `all ${fmt(inbound.length)} inbound events parsed with ${validator ? `${code(validator)} (already a dependency)` : `${code('zod')} (new dependency; the project has no validator)`} against the catalog types; unknown fields stripped, failures answered with ${code('INVALID_PAYLOAD')}`, sourceMd: 'Event protocol types' },
    { label: 'Payload cap', valueMd: `${capSetting}: ${formatBytes(cap)}, 4× the ${fmt(ctx.capacity.values.payloadBytes)}-byte average payload rounded up`, sourceMd: ctx.cite.cite(['payload-limit'], ctx.docLibrary).trim() || 'capacity inputs' },
    { label: 'Rate limit per connection', valueMd: `token bucket ${fmt(perConn)} messages/s, burst ${fmt(perConn * 2)}; over limit → ${code('RATE_LIMITED')}, 10 violations in a minute → disconnect`, sourceMd: `20× the modelled ${fmt(avg)} msg/s per connection, at least 10/s` },
    { label: 'Rate limit per user', valueMd: '50 messages/s across all connections of a user, 5 concurrent connections per user, 10 connection attempts per minute per IP', sourceMd: 'stops one account from amplifying through many tabs' },
    { label: 'Transport security', valueMd: `${ctx.transport === 'websocket' || ctx.transport === 'socket.io' ? code('wss://') : 'HTTPS'} only; TLS terminates at the load balancer`, sourceMd: 'tokens and cookies must never cross the network in clear' },
    {
      label: 'Secrets',
      valueMd: secretFindings.length > 0
        ? `fix the findings first: ${list(secretFindings.map((fd) => `${code(fd.id)} at ${text(fd.evidence)}`))}; keys live only in server environment variables`
        : 'provider keys and JWT secrets only in server environment variables; clients receive short-lived tokens',
      sourceMd: ctx.scenarios.includes('voice') ? `ephemeral tokens${ctx.cite.cite(['ephemeral-token'], ctx.voiceProviders[0] ?? 'openai-realtime')}` : 'findings',
    },
  ];
  return { authz, controls };
}
