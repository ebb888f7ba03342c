// Pure: the non-numeric requirements of one sentence. Infrastructure the app runs behind (a
// proxy's idle timeout, a load balancer, TLS termination, serverless or edge targets), the
// musts and must-nots, and the problems the user reports. Patterns are data, like FEATURE_PATTERNS.
import type { ConstraintRequirement, InfraFact, InfraRequirement, ProblemRequirement, Requirement } from '../types.js';

const PROXY = /\b(nginx|HAProxy|Traefik|Envoy|Caddy|Cloudflare|ALB|ELB|NLB|API Gateway|ingress|Heroku router|load balancer|reverse proxy|proxy)\b/i;
// nginx names its idle limit for a proxied (upgraded) connection `proxy_read_timeout` (nginx.org/en/docs/http/websocket.html).
const CUTS = /\b(idle|time(?:s)? ?out|timeouts?|cuts?|closes?|drops?|kills?|terminates?|disconnects?|proxy_read_timeout)\b/i;
// Not from inside a run of digits: read from each of its positions, a long run was quadratic.
const DURATION = /(?<!\d)(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|min|mins|minutes?)\b/i;

const FUNCTION_LIMIT =
  /\b(?:limited to|limit of|time ?limit(?: of| is)?|max(?:imum)? duration(?: of| is)?|time(?:s)? ?out after|run for at most)\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|min|mins|minutes?)\b/i;

const INFRA: ReadonlyArray<readonly [InfraFact, RegExp, RegExp?]> = [
  ['load-balancer', /\b(load balancer|ALB|ELB|NLB|round[- ]robin|sticky sessions?|HAProxy)\b/i],
  ['tls-termination', /\b(TLS|SSL|HTTPS)\b/i, /\bterminat|\boffload/i],
  ['serverless', /\b(serverless|AWS Lambda|Lambda functions?|Vercel|Netlify(?: functions)?|Cloud Run|Cloud Functions)\b/i],
  ['edge', /\b(Cloudflare Workers?|edge (?:runtime|functions?)|Deno Deploy|Durable Objects?)\b/i],
];

const MUST_NOT = /\b(must not|mustn't|must never|should not|shouldn't|should never|may not|cannot|can't|never|do not|don't|no more than)\b/i;
const MODAL_NOT = /\b(don't want|do not want|must not|mustn't|must never|should not|shouldn't|should never|may not|cannot|can't)\b/i;
const MUST = /\b(musts?|has to|have to|needs? to|is required|are required|requires?|should|at least|at most)\b/i;
const PROBLEM =
  /\b(sometimes|randomly|intermittent(?:ly)?|looks? wrong|is wrong|are wrong|wrong|broken|a bug|bugs|ignored|get lost|gets lost|are lost|is lost|goes missing|go missing|disappears?|duplicated?|duplicates|twice|stuck|freezes?|hangs?|out of sync|flickers?|leaks?|keeps? disconnecting|drops? (?:after|every|when)|(?:listed|shown|counted|appears?|shows? up) (?:two|three|several|multiple) (?:or (?:two|three|four) )?times|shows? (?:people|users|members|someone|players) who (?:left|have left|are gone)|not (?:working|arriving|updating|delivered|shown)|(?:doesn't|does not|don't|do not|never) (?:arrive|show|update|work|reconnect|appear|get))\b/i;

function unitMs(value: number, unit: string): number {
  const u = unit.toLowerCase();
  return u === 'ms' || u.startsWith('milli') ? value : u.startsWith('m') ? value * 60_000 : value * 1000;
}

/** What a label line says the items under it are. */
export function labelKind(under: string | undefined): 'must' | 'must-not' | 'problem' | null {
  if (!under) return null;
  if (/\bmust ?nots?\b|\bnot allowed\b|\bnever\b|\bdon'?t\b/i.test(under)) return 'must-not';
  if (/\bproblems?\b|\bissues?\b|\breport(?:s|ed)?\b|\bwent wrong\b|\bbugs?\b|\bcomplain/i.test(under)) return 'problem';
  if (/\bmusts?\b|\brequirements?\b|\bconstraints?\b|\bneeds?\b|\bgoals?\b|\btargets?\b|\blimits?\b/i.test(under)) return 'must';
  return null;
}

/** A message shape in backticks: `{ event, data }`, `{type, payload}` (bare keys only). */
const FRAMING = /`\{\s*([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)+)\s*,?\s*\}`/;

/** The constraint, with the framing it names when it names one. */
function constraint(polarity: ConstraintRequirement['polarity'], sentence: string, evidence: string): ConstraintRequirement {
  const m = FRAMING.exec(sentence);
  return m?.[1]
    ? { kind: 'constraint', polarity, sentence, evidence, framing: m[1].split(',').map((k) => k.trim()) }
    : { kind: 'constraint', polarity, sentence, evidence };
}

/**
 * HAProxy's own settings, as its configuration manual spells them: a time is a number with an
 * optional unit (us, ms, s, m, h, d), milliseconds without one.
 */
const HAPROXY_TIMEOUT = (name: string) =>
  new RegExp(String.raw`\btimeout\s+${name}\s+(\d+(?:\.\d+)?)\s*(us|ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)?\b`, 'i');
function haproxyMs(m: RegExpExecArray): number {
  const u = (m[2] ?? 'ms').toLowerCase();
  const per =
    u === 'us'
      ? 0.001
      : u === 'ms' || u.startsWith('milli')
        ? 1
        : u.startsWith('s')
          ? 1000
          : u.startsWith('m')
            ? 60_000
            : u.startsWith('h')
              ? 3_600_000
              : u.startsWith('d')
                ? 86_400_000
                : 1;
  return Number(m[1]) * per;
}

/**
 * "HAProxy (`timeout tunnel 1h`, `timeout client 30s`)": once a connection is upgraded to a
 * WebSocket, HAProxy applies `timeout tunnel`, which supersedes `timeout client` and `timeout
 * server` (HAProxy configuration manual, `timeout tunnel`); the idle timeout that can cut a
 * WebSocket is the tunnel's, not the client's.
 */
function tunnelTimeout(text: string): Pick<InfraRequirement, 'valueMs' | 'setting' | 'supersedes'> | null {
  const tunnel = HAPROXY_TIMEOUT('tunnel').exec(text);
  if (!tunnel) return null;
  const client = HAPROXY_TIMEOUT('client').exec(text);
  return {
    valueMs: haproxyMs(tunnel),
    setting: 'timeout tunnel',
    ...(client ? { supersedes: { setting: 'timeout client', valueMs: haproxyMs(client) } } : {}),
  };
}

/**
 * A Google Cloud HTTPS (Application) load balancer's backend service timeout: for a WebSocket it is
 * the longest a connection may stay open, active or idle (cloud.google.com/load-balancing/docs/https,
 * "WebSocket support"; /docs/backend-service#timeout-setting).
 */
const GCP_LB = /\b(?:GCP|Google Cloud|GCLB)\b[^.;]*\bload balancer\b|\b(?:GCP|Google Cloud)\b[^.;]*\b(?:HTTPS|Application) (?:LB|load balancer)\b/i;
const BACKEND_TIMEOUT = /\bbackend(?: service)? timeout\b/i;

/**
 * The server ends a connection the client stays silent on: "closes idle sockets after 60 s
 * without a frame from the client", "drops clients that send nothing for 30 s". The duration is
 * the one nearest that phrase, so a rate stated earlier in the sentence ("every 5 s") is not it.
 */
const CLIENT_SILENT =
  /\b(?:without|no)\s+(?:a\s+|any\s+)?(?:frames?|messages?|data|traffic|pings?)\s+(?:from|sent by)\s+(?:the\s+)?(?:client|browser)s?\b|\b(?:client|browser)s?\s+(?:that\s+)?(?:sends?|sent)\s+nothing\b/i;
const DURATIONS = new RegExp(DURATION.source, 'gi');

function clientSilence(text: string): number | null {
  const m = CLIENT_SILENT.exec(text);
  if (!m || !CUTS.test(text)) return null;
  let best: { ms: number; distance: number } | null = null;
  for (const d of text.matchAll(DURATIONS)) {
    const at = d.index ?? 0;
    const distance = at < m.index ? m.index - (at + d[0].length) : at - (m.index + m[0].length);
    if (!best || distance < best.distance) best = { ms: unitMs(Number(d[1]), d[2]!), distance };
  }
  return best && best.distance <= 40 ? best.ms : null;
}

export function factsIn(text: string, evidence: string, under?: string): Requirement[] {
  const out: Requirement[] = [];
  const proxy = PROXY.exec(text);
  const tunnel = proxy ? tunnelTimeout(text) : null;
  if (proxy && tunnel) {
    out.push({ kind: 'infra', fact: 'proxy-idle-timeout', component: proxy[1]!, ...tunnel, sentence: text, evidence } satisfies InfraRequirement);
  }
  const duration = proxy && !tunnel && CUTS.test(text) ? DURATION.exec(text) : null;
  if (proxy && duration) {
    const req: InfraRequirement = {
      kind: 'infra',
      fact: 'proxy-idle-timeout',
      component: proxy[1]!,
      valueMs: unitMs(Number(duration[1]), duration[2]!),
      ...(GCP_LB.test(text) && BACKEND_TIMEOUT.test(text) ? { maxLifetime: true as const } : {}),
      sentence: text,
      evidence,
    };
    out.push(req);
  }
  const silentMs = out.length === 0 ? clientSilence(text) : null;
  if (silentMs !== null)
    out.push({ kind: 'infra', fact: 'client-silence-close', component: 'server', valueMs: silentMs, sentence: text, evidence } satisfies InfraRequirement);
  for (const [fact, pattern, also] of INFRA) {
    const m = pattern.exec(text);
    if (!m || (also && !also.test(text))) continue;
    // A proxy timeout sentence already says "load balancer": one fact per stretch of text.
    if (fact === 'load-balancer' && out.some((r) => r.kind === 'infra' && r.fact === 'proxy-idle-timeout')) continue;
    // A serverless host's function time limit, when the sentence states it ("functions limited to 60 s").
    const limit = fact === 'serverless' ? FUNCTION_LIMIT.exec(text) : null;
    const valueMs = limit ? { valueMs: unitMs(Number(limit[1]), limit[2]!) } : {};
    out.push({ kind: 'infra', fact, component: m[1]!, ...valueMs, sentence: text, evidence } satisfies InfraRequirement);
  }
  // "Problems seen in production:" introduces the items under it; it is not one of them.
  if (/:$/.test(text.trim()) && text.length <= 60) return out;
  // A sentence that labels itself ("Must nots: no third-party real-time service") says what it is,
  // whatever the heading above it says.
  const labelled = /^\s*(?:must ?nots?|must not|don'?ts)\s*:/i.test(text) ? 'must-not' : labelKind(under);
  const problem = labelled === 'problem' || (labelled === null && PROBLEM.test(text) && !MUST.test(text) && !/^(?:if|when|so that|make sure)\b/i.test(text));
  // Under "Musts:" a bare "never" ("the API key never reaches the browser") states the must; only a
  // negated modal there ("must not", "cannot") is a must-not.
  if (labelled === 'must') out.push(constraint(MODAL_NOT.test(text) ? 'must-not' : 'must', text, evidence));
  else if (labelled === 'must-not') out.push(constraint('must-not', text, evidence));
  else if (problem) out.push({ kind: 'problem', sentence: text, evidence } satisfies ProblemRequirement);
  else if (MUST_NOT.test(text) && /\b(must|should|may|cannot|can't|never|no more)\b/i.test(text)) out.push(constraint('must-not', text, evidence));
  else if (MUST.test(text)) out.push(constraint('must', text, evidence));
  return out;
}

/** One line per requirement, for tables and `rt-plan scan`. */
export function describeRequirement(r: Requirement): string {
  switch (r.kind) {
    case 'feature':
      return `feature: ${r.feature}`;
    case 'number':
      return `${r.metric}: ${r.value.toLocaleString('en-US')} ${r.unit}${r.percentile ? ` (p${r.percentile})` : ''}${r.later ? `, ${r.later.value.toLocaleString('en-US')} ${r.later.when}` : ''}`;
    case 'infra':
      return `infra: ${r.fact} (${r.component}${r.valueMs !== undefined ? `, ${r.valueMs.toLocaleString('en-US')} ms` : ''}${r.maxLifetime ? ', a maximum connection lifetime, not idle' : ''})`;
    case 'constraint':
      return r.polarity;
    case 'problem':
      return 'reported problem';
  }
}
