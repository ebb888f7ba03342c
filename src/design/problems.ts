// Reported problems, diagnosed. Each symptom the user reports is matched to the audit findings
// that can cause it; a likely cause is named only with the finding's file:line, and a symptom
// the code does not explain is said to be unexplained, never guessed at.
import { protocolTraits } from './profiles/protocol.js';
import { entityNamespace, insufficientStateMd } from './profiles/servers.js';
import type { Finding, InfraRequirement, ModelFact, ProblemRequirement } from '../types.js';
import type { DesignCtx } from './context.js';
import { code, fmt, list, text } from './md.js';
import { parseName } from './core/names.js';
import { traitsOf } from './profiles/transports.js';
import { managedProvider } from './scenarios/kit.js';
import { TYPING_CLEAR_MS, TYPING_THROTTLE_MS } from './defaults.js';
import { receivedOnly } from './ops.js';
import { publishedMd } from './workload.js';
import { coreOf } from './core/context.js';

/** A report about keys or secrets seen in code or a bundle. */
const KEYS =
  /\b(?:leak\w*|expos\w*|sensitive)\b[^.]{0,80}\b(?:secrets?|keys?|tokens?|credentials?)\b|\b(?:secrets?|keys?|tokens?|credentials?)\b[^.]{0,80}\b(?:leak\w*|expos\w*|sensitive)\b/i;

/** A symptom that appears with several instances of the server. */
const MULTI_INSTANCE =
  /\b(?:two|three|several|multiple|more than one|second|2|3)\s+(?:instances|servers|nodes|replicas|pods|processes|containers|tasks|dynos|machines)\b|\bscal(?:e|ed|ing) out\b/;

/** A symptom that follows a deploy, a restart or a dropped connection (a locked phone, a Wi-Fi drop). */
const AFTER_RECONNECT =
  /\b(?:deploy\w*|restart\w*|reconnect\w*|screen locked|locked (?:their|the) (?:phone|screen)|(?:came|coming|comes?) back|never recovered|(?:Wi-?Fi|network|connection)(?: [\w-]+){0,4} dropped|until (?:they|we|I|you) (?:reload\w*|refresh\w*|re-?enter\w*|rejoin\w*))\b/i;

/** Something started and then stopped before its end: an answer that never came. */
const STOPPED =
  /\b(?:(?:said|did) nothing more|nothing more happen\w*|(?:stops?|stopped) (?:responding|answering|talking|halfway)|never (?:answer|respond|repl|finish|complet)\w*|(?:hangs?|hung|stuck) (?:on|at|after|while|forever))\b/i;

/** A message shown with the wrong author, or a name someone made up. */
const WRONG_IDENTITY =
  /\b(?:credited to|attributed to|wrong (?:author|name|sender|user|person)|renamed (?:themselves|himself|herself)|impersonat\w*|spoof\w*|forged?|names? (?:a browser|someone) made up)\b/i;

/** Content too large for one message. */
const TOO_LARGE =
  /\b(?:long|large|big|huge|pasted)\b[^.]{0,30}\b(?:comments?|messages?|payloads?|logs?|texts?|posts?|files?|images?)\b|\btoo (?:large|big|long)\b/i;

/** A credential seen in logs: an access log, a log pipeline or a log search (HAProxy, nginx, Splunk, Datadog, …). */
const IN_LOGS =
  /\b(?:tokens?|jwts?|credentials?|secrets?|passwords?|api keys?|session ids?)\b[^.]{0,80}\b(?:logs?|logged|log files?|log lines?|access logs?|Splunk|Kibana|Datadog|CloudWatch|Loki|ELK)\b|\b(?:logs?|logged|log files?|access logs?|Splunk|Kibana|Datadog|CloudWatch|Loki|ELK)\b[^.]{0,80}\b(?:tokens?|jwts?|credentials?|secrets?|passwords?)\b/i;

/** What was shown is gone after a reload, a refresh or a return to the page or app. */
const LOST_ON_RELOAD =
  /\b(?:reload\w*|refresh\w*|re-?open\w*|(?:come|comes|coming|came) back|switch\w* (?:to )?(?:another|other|a different) (?:app|tab)|in the background)\b[^.;]{0,80}\b(?:los(?:e|es|ing|t)|gone|disappear\w*|vanish\w*|empty|blank|wiped?|never (?:complet|finish)\w*|half-written|cut off)\b|\b(?:los(?:e|es|ing|t)|gone|disappear\w*|vanish\w*|wiped?)\b[^.;]{0,60}\b(?:on|after|when|with) (?:a |the |every )?(?:reload|refresh)\b/i;

/**
 * A symptom the load test in Testing strategy can reproduce: it depends on how many clients,
 * messages or instances there are, on timing, or on connections that drop and come back.
 * Other symptoms (a button left disabled, a value in a log) are reproduced by hand.
 */
const LOAD_SHAPED = new RegExp(
  `${MULTI_INSTANCE.source}|\\b(?:under load|at peak|peak hours?|(?:many|hundreds of|thousands of|all (?:the )?)\\s*(?:users|clients|viewers|students|connections)|slow\\w*|lag\\w*|delay\\w*|latency|late|memory|CPU|disconnect\\w*|drop\\w*|reconnect\\w*|time[sd]? ?out|1006|deploy\\w*|restart\\w*|out of order|missing|lost|never arrive\\w*|ignored|duplicat\\w*)\\b`,
  'i',
);

/** Someone listed more than once, or still shown after leaving: in a room switch, a member who left, another room's members. */
const ROOM_MIXUP =
  /\b(?:(?:listed|shown|counted|appears?|shows? up)\b[^.;]{0,20}\b(?:twice|(?:two|three|several|multiple) (?:or (?:two|three|four) )?times)|switch\w* (?:rooms?|channels?)|(?:people|users|members|someone|players) who (?:left|have left|are gone)|(?:another|other|wrong) rooms?'?s? (?:members|users|people))\b/i;

/**
 * Something from outside the room on screen shown in it: a person or message "not on the ticket",
 * "from another room", "in the wrong channel".
 */
const ROOM_LEAK =
  /\b(?:(?:was|were|is|are|wasn't|weren't|isn't|aren't) not (?:on|in)|not (?:on|in|part of) (?:the|this|that)|from (?:another|other|a different|the wrong)|(?:in|into) (?:another|the wrong|a different)) (?:\w+ )?(?:tickets?|rooms?|channels?|boards?|chats?|conversations?|threads?|documents?|docs?|groups?)\b/i;

/** A cost, rate or per-keystroke symptom: what every message sent adds to. */
const PER_MESSAGE = /\b(?:keystrokes?|typing|bill\w*|charges?|costs?|rate limit\w*|quota|4301)\b/i;

interface Symptom {
  pattern: RegExp;
  /** Findings that produce this symptom, most likely first. */
  causes: string[];
  /** How each finding produces it. */
  how: Record<string, string>;
  /** Findings whose own message (the path and call site) follows the how. */
  quote?: readonly string[];
  /** A sentence this symptom does not cover, when a more specific one does. */
  unless?: RegExp;
}

/**
 * Facts of the project model (Current state's "What the code shows") that can cause a symptom
 * when no finding does: the same matching, with the fact's own file:line.
 */
const FACT_SYMPTOMS: readonly { pattern: RegExp; kinds: readonly ModelFact['kind'][]; how: string; fix: string }[] = [
  {
    pattern: new RegExp(`${MULTI_INSTANCE.source}|\\b(?:half|some) of the (?:changes|updates|events|messages)\\b`, 'i'),
    kinds: ['process-state'],
    how: "it lives in one process's memory, so each instance sees and publishes only its own part",
    fix: 'move it to the store every instance reads, and send its changes through the cross-node fan-out',
  },
  {
    pattern: /\b(?:viewer|presence|online|who's here) (?:count|list)\b|\bcount differed\b/i,
    kinds: ['process-state'],
    how: "it lives in one process's memory, so with several instances each counts only the clients connected to it",
    fix: 'move it to the store every instance reads, and send its changes through the cross-node fan-out',
  },
  {
    // Members of one room seen in another, or listed again after a room switch.
    pattern: ROOM_MIXUP,
    kinds: ['constant-topic'],
    how: 'every room opens this one topic, so each client joins the same channel whatever its room and sees the members and broadcasts of all rooms, and a room switch keeps it on that channel; the fix is one topic per room, its name built from the room id',
    fix: 'one topic per room, its name built from the room id, left on a room switch',
  },
  {
    // An input or button left disabled, greyed or stuck after a stop, an error or a cut-off answer.
    pattern: /\b(?:disabled|greyed out|grayed out|stuck|frozen|unresponsive|can(?:no|')t type)\b/i,
    kinds: ['locked-on-error'],
    how: 'it is the one path in this code that leaves the input disabled: the element is enabled only in status ready, a request that ends in an error rather than a clean stop (a cut-off stream, the function time limit, a network drop) leaves the status at error, and nothing here clears it; reset the error where it is shown (clearError() in ai 5; reload the saved chat before any regenerate()), and disable the input only while submitted or streaming',
    fix: 'reset the error where it is shown, and disable the input only while submitted or streaming',
  },
  {
    // A typing indicator that keeps showing someone: stale after they stopped, or after they left.
    pattern: /\btyping\b[^.;]{0,40}\b(?:who (?:left|have left|are gone)|(?:stays?|stuck|forever|still)\b|never (?:goes away|clears?|disappears?))/i,
    kinds: ['typing-never-cleared'],
    how: `each typing event sets the indicator and nothing sets it back, so it keeps showing the last sender after they stopped typing or left; the fix is to clear each sender's indicator ${fmt(TYPING_CLEAR_MS / 1000)} s after their last typing event`,
    fix: `clear each sender's indicator ${fmt(TYPING_CLEAR_MS / 1000)} s after their last typing event`,
  },
  {
    pattern: AFTER_RECONNECT,
    kinds: ['connection-identity'],
    how: 'a reconnect gets a new id, so what was stored under the old one (score, membership) is out of its reach',
    fix: "key what is stored by the user's verified id instead of the connection id, so a reconnect finds it again",
  },
  {
    pattern: /\bmax(?:imum)? number of clients\b|\btoo many (?:connections|clients)\b|\bconnection limit\b|\bERR max\b/i,
    kinds: ['per-connection-client'],
    how: 'every open stream holds its own connection to that service, so connections grow with viewers until its limit',
    fix: 'one client per process (one reader per channel), fanned out in-process to every open stream of that channel',
  },
];

/**
 * An update the screen never showed: missing, skipped or stale state, or a person acting twice on
 * what the screen still showed as undone (a job assigned twice, a seat sold twice).
 */
const MISSED_UPDATE =
  /\b(?:never (?:updates?|shows?|arrives?|appears?)|(?:skipp|miss)(?:ed|ing)\b[^.;]{0,30}\b(?:updates?|messages?|events?|changes?|frames?)|stale|out of date|(?:goes|went|go) missing|(?:assigned|booked|claimed|sold|accepted|taken|approved) twice)\b/i;

const SYMPTOMS: readonly Symptom[] = [
  {
    pattern: MISSED_UPDATE,
    causes: ['latest-message-only'],
    how: {
      'latest-message-only':
        'the client applies only the last message of each batch React renders at once, so an update that arrives together with others (a status change among a burst of frequent ones) is never applied: the screen keeps the old state, and someone acting on it does again what was already done',
    },
  },
  {
    pattern: ROOM_MIXUP,
    causes: ['listener-not-cleaned-up'],
    how: {
      'listener-not-cleaned-up':
        'the effect registers its handlers and never cleans up, so every remount (a room switch, a new id) adds one more set while the old one stays: the old handlers keep running, and whatever was tracked on the old channel stays there until the connection ends',
    },
  },
  {
    pattern: AFTER_RECONNECT,
    causes: ['no-room-rejoin', 'reconnect-without-backoff', 'no-reconnect', 'webrtc-no-connection-state'],
    how: {
      'webrtc-no-connection-state':
        'nothing watches the peer connection’s state and nothing calls `restartIce()`, so when the drop makes ICE fail nobody notices it and nothing restarts ICE or opens a new session: the connection stays dead until it is started again',
      'no-room-rejoin':
        'a deploy or a dropped connection (where the server sets `connectionStateRecovery`, a drop longer than it covers) gives the client a new connection that is in no room, and nothing joins again, so it receives no room events until a reload joins them',
      'reconnect-without-backoff':
        'every client retries after the same fixed delay with no jitter, so a deploy that closes all connections brings them all back in the same second',
      'no-reconnect': 'the client does not reconnect, so a dropped connection stays dropped until a reload',
    },
  },
  {
    // A deploy closes every connection at once: abnormal closures (1006) unless the old process says goodbye.
    pattern:
      /\b1006\b|\babnormal(?:ly)? clos\w*|\b(?:deploy\w*|restart\w*|rolling \w+)\b[^.]{0,60}\b(?:disconnect\w*|drop\w*|cut|clos\w*|reconnect\w*|errors?|spikes?)\b/i,
    causes: ['no-graceful-shutdown'],
    how: {
      'no-graceful-shutdown':
        'the server does not handle SIGTERM, so a deploy kills the process with its sockets open: every client sees its connection cut without a close frame (WebSocket close code 1006), and all of them reconnect in the same moment to the instances still up',
    },
  },
  {
    pattern: IN_LOGS,
    causes: ['token-in-query'],
    how: {
      'token-in-query':
        'the token travels in the connection URL’s query string, and proxies, load balancers and servers write the request line (path and query string) to their access logs, so every logged connection carries the token to wherever those logs are shipped',
    },
  },
  {
    pattern: LOST_ON_RELOAD,
    causes: ['ai-stream-lost-on-disconnect', 'no-reconnect'],
    how: {
      'ai-stream-lost-on-disconnect':
        'the answer is streamed only to the open request and nothing saves it: when the page is suspended, reloaded or disconnected, generation stops with the request, and a reload has no saved conversation to show',
      'no-reconnect': 'the client does not reconnect, so a dropped connection stays dropped until a reload',
    },
  },
  {
    pattern: STOPPED,
    causes: ['request-route-missing', 'ai-stream-lost-on-disconnect'],
    how: {
      'ai-stream-lost-on-disconnect':
        'the answer is streamed only to the open request: when the client disconnects (a phone suspends the page, the network drops) generation stops with it and nothing saves the part already streamed',
      'request-route-missing':
        'the client requests a path that no route of the server serves, so the request fails and what the client would do with its answer does not happen',
    },
    quote: ['request-route-missing'],
  },
  {
    // Something of another room shown in this one ("a reply credited to a colleague who was not on the ticket").
    pattern: ROOM_LEAK,
    causes: ['room-event-unfiltered-on-client'],
    how: {
      'room-event-unfiltered-on-client':
        "the client shows each room event without checking which room it belongs to, on one socket that stays in every room it joined, so another room's events appear in the open view; the fix filters the listener by the room on screen and leaves the old room on a switch",
    },
  },
  {
    pattern: WRONG_IDENTITY,
    causes: ['identity-from-payload'],
    how: { 'identity-from-payload': "who sent it is read from the client's payload, which any client can set to any name" },
  },
  {
    // The same event handled twice or more after a component remounts: a listener left behind.
    pattern: /\b(?:twice|two times|three times)\b/i,
    // Members listed again after a room switch: the room-switch symptom above names its causes.
    unless: ROOM_MIXUP,
    causes: ['subscription-without-cleanup', 'listener-not-cleaned-up'],
    how: {
      'subscription-without-cleanup':
        'the subscription opened in an effect is never closed, so every remount adds one more and each event is handled once per copy',
      'listener-not-cleaned-up': 'the listener added in an effect is never removed, so every remount adds one more and each event is handled once per copy',
    },
  },
  {
    pattern: new RegExp(`${MULTI_INSTANCE.source}|\\bload balancer\\b|\\bcluster\\b|\\bSession ID unknown\\b`, 'i'),
    causes: ['polling-without-sticky-sessions', 'in-process-state-multi-node', 'redis-client-not-connected'],
    how: {
      'in-process-state-multi-node': "state kept in one process's memory is invisible to the other instances, so each instance shows only its own part",
      'polling-without-sticky-sessions':
        'without sticky sessions, long-polling requests land on an instance that does not know the session (HTTP 400 "Session ID unknown")',
      'redis-client-not-connected': 'the Redis client the adapter uses is never connected, so broadcasts stay on the instance that made them',
    },
  },
  {
    // A change that other clients lose until a reload: the update was dropped on its way out.
    pattern: /\b(?:snaps? back|jumps? back|reverts?|old (?:column|value|state|position)|stale|(?:a )?reload (?:shows|fixes)|out of order)\b/i,
    causes: ['volatile-critical-emit', 'in-process-state-multi-node', 'no-room-rejoin'],
    how: {
      'volatile-critical-emit':
        'the update is emitted as `volatile`, which Socket.IO drops whenever the socket is not ready to write, so those viewers keep the old state until a reload',
      'in-process-state-multi-node': "state kept in one process's memory is invisible to the other instances, so viewers on another instance see the old state",
      'no-room-rejoin': 'after a reconnect the client is not in its rooms again, so it misses updates until a reload joins them',
    },
  },
  {
    // Text or changes someone wrote that vanish: another write overwrote them.
    pattern:
      /\b(?:edits?|changes?|text|sentences?|words?|paragraphs?|lines?|typ\w*|writ\w*)\b[^.]{0,80}\b(?:disappear\w*|vanish\w*|overwr\w*|erased?|lost|gone|clobber\w*)\b|\b(?:lost|overwritten|erased|clobbered) (?:edits?|changes?|updates?|text|work)\b/i,
    causes: ['version-advanced-without-change'],
    how: {
      'version-advanced-without-change':
        "the listener moves the local version forward without applying the other client's change, so this client's next write sends its stale copy with a current version: a version check on it passes, and it overwrites that change",
    },
  },
  {
    pattern:
      /\b(?:ignored|lost|get lost|gets lost|missing|go(?:es)? missing|disappear\w*|never arrive|not (?:arriving|delivered|received)|(?:don't|doesn't|do not|does not) (?:arrive|show|appear|update))\b/i,
    causes: [
      'event-name-mismatch',
      'volatile-critical-emit',
      'no-room-rejoin',
      'unguarded-json-parse',
      'unhandled-socket-error',
      'sse-no-event-id',
      'no-reconnect',
      'ai-stream-lost-on-disconnect',
    ],
    how: {
      'volatile-critical-emit': 'the event is emitted as `volatile`, which is dropped whenever the socket is not ready to write',
      'no-room-rejoin': 'after a reconnect the client is not in its rooms again, so room broadcasts no longer reach it',
      'event-name-mismatch': 'one side emits an event name the other never listens for, so those events are dropped without an error',
      'unguarded-json-parse': 'a malformed frame throws inside the message handler, and what follows on that socket is lost',
      'unhandled-socket-error': 'an unhandled socket error ends the connection, and events sent until the reconnect are lost',
      'sse-no-event-id': 'events carry no id, so a reconnecting EventSource cannot ask for what it missed',
      'no-reconnect': 'the client does not reconnect, so everything after a drop is lost',
      'ai-stream-lost-on-disconnect':
        'the answer is streamed only to the open request, so a disconnect stops the generation and nothing saves what was streamed',
    },
  },
  {
    pattern: /\b(?:disconnect\w*|drops? (?:after|every|when)|keeps? dropping|connection (?:closes|dies|is lost)|times? out)\b/i,
    causes: ['no-heartbeat', 'sse-no-keepalive', 'no-reconnect', 'reconnect-without-backoff', 'webrtc-no-connection-state'],
    how: {
      'webrtc-no-connection-state': 'nothing watches the peer connection’s state, so a failed ICE connection is neither noticed nor restarted',
      'no-heartbeat': 'nothing crosses an idle connection, so a proxy or load balancer closes it at its idle timeout',
      'sse-no-keepalive': 'an idle stream sends nothing, so a proxy closes it at its idle timeout',
      'no-reconnect': 'the client does not reconnect after a drop',
      'reconnect-without-backoff': 'clients reconnect at once and together, and the reconnect storm drops connections again',
    },
  },
  {
    pattern: /\b(?:duplicated?|duplicates|twice|double[sd]?|more than once|repeated)\b/i,
    causes: ['listener-not-cleaned-up'],
    how: { 'listener-not-cleaned-up': 'a listener added again on every mount or reconnect is never removed, so each event runs its handler once per copy' },
  },
  {
    pattern: KEYS,
    causes: ['hard-coded-secret', 'api-key-in-browser', 'token-in-query'],
    how: {
      'hard-coded-secret': 'a credential is written into the source, so anyone with the code or the bundle has it',
      'api-key-in-browser': 'a provider key that must stay on a server is sent to the browser',
      'token-in-query': 'the token travels in the connection URL’s query string, which proxies and servers write to their access logs',
    },
  },
  {
    pattern: /\b(?:slow|lag\w*|delay\w*|memory|grows?|latency)\b/i,
    causes: ['broadcast-without-backpressure', 'permessage-deflate-enabled'],
    how: {
      'broadcast-without-backpressure': 'broadcasts are written without checking the socket buffer, so slow clients pile up memory and delay everyone',
      'permessage-deflate-enabled': 'per-connection compression costs memory and CPU on every message',
    },
  },
];

/**
 * When neither a finding nor a fact explains a symptom, what the design does about it anyway:
 * said as the plan's decision, never as a cause found in the code.
 */
const UNEXPLAINED: readonly { pattern: RegExp; md: string }[] = [
  {
    pattern: KEYS,
    md: "The audit's secret check reports no hard-coded credential and no server key in browser code. Keys that are public by design are meant to ship to the browser and are not reported: Stripe publishable keys (`pk_`), Datadog RUM client tokens, Sentry DSNs, a Supabase anon key (row-level security (RLS) on each table decides what it can read: check that RLS is on for every table it reaches) and a Firebase web config `apiKey` (security rules guard the data). Their secret counterparts (Stripe `sk_` keys, Datadog API keys, the Supabase service-role key) belong only on a server.",
  },
  {
    // "Twice the agent said…" counts occasions: only something shown, sent or applied twice is a duplicate.
    pattern:
      /\b(?:duplicated?|duplicates|(?:shown|shows|saw|sees|see|appears?|arrives?|played|sent|received|displayed|applied|counted)\b[^.]{0,30}\b(?:twice|more than once))\b/i,
    md: 'The audit found no listener left behind that would explain it. An event shown twice is one event applied twice (a replay overlapping what already arrived, or a publish retried after its response was lost): the client keeps the id of the last event it applied per stream and drops any event id not above it (dedup by event id), and a retried publish reuses its id instead of adding the event again.',
  },
];

/**
 * A place in the code a diagnosis names as a cause, and what a step changes there: every one is
 * linked to the step that changes its file (steps.ts), so no diagnosed cause is left without a fix.
 * `finding` is set where the cause is an audit finding, whose fix the findings step already carries.
 */
export interface CauseTarget {
  path: string;
  line: string;
  fixMd: string;
  finding?: string;
}

/**
 * How far a diagnosis gets, as data (never read from its wording): `likely`, causes the audit's
 * findings or the model's facts show; `possible`, causes the code cannot confirm; the others name no
 * place in the code: `server`, the symptom the real-time server product names itself (read from its
 * config); `unexplained`, what such a symptom usually is when the audit found nothing behind it;
 * `unknown`, nothing in the code points to a cause.
 */
export type DiagnosisConfidence = 'likely' | 'possible' | 'server' | 'unexplained' | 'unknown';

export interface Diagnosis {
  sentence: string;
  evidence: string;
  causeMd: string;
  confidence: DiagnosisConfidence;
  /** The places in the code it names as causes: set only where `confidence` is `likely` or `possible`. */
  targets: CauseTarget[];
}

/** A file:line evidence split into its file and line. */
function at(evidence: string, fixMd: string, finding?: string): CauseTarget {
  const path = evidence.replace(/:\d+$/, '');
  return { path, line: evidence.slice(path.length + 1), fixMd, ...(finding ? { finding } : {}) };
}

/** A possible cause: the sentence, and the place in the code it names with what would change there. */
interface Maybe {
  md: string;
  target?: CauseTarget;
  /** The code shows it (a send on every key pressed): said as a likely cause, not "may be". */
  shown?: true;
}

/** A symptom of what each message costs (a rate-limit close, a quota, a bill), not of who is shown. */
const COST = /\b(?:keystrokes?|bill\w*|charges?|costs?|rate limit\w*|quota|4301)\b/i;

/** Where the code sends an event on every key pressed (model fact keystroke-send), with no condition before it. */
export function keystrokeSend(ctx: Pick<DesignCtx, 'input'>, event: string): ModelFact | undefined {
  return (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'keystroke-send' && f.name === event);
}

/** That send in words: `the input's `onChange` at `…:26` calls `sendTyping`, which sends it, on every change`. */
export function keystrokeMd(f: ModelFact): string {
  return `the input's ${code(f.value ?? '')} handler at ${code(f.evidence)} ${f.store ? `calls ${code(f.store)}, which sends it,` : 'sends it'} on every change, with no throttle`;
}

/**
 * A fix that keys state by the user's verified id holds only where the project verifies one: where
 * Core design gives the object a reclaim token (no sign-in), the state is keyed by that token.
 */
function symptomFix(ctx: DesignCtx, s: (typeof FACT_SYMPTOMS)[number]): string {
  if (!s.kinds.includes('connection-identity')) return s.fix;
  if (coreOf(ctx).objects.some((o) => o.decision.identity === 'reclaim-token'))
    return 'key what is stored by the reclaim token the server issues at the first join (Core design), not the connection id, so a reconnect that presents it finds it again';
  const signedIn = ctx.input.analysis.stack.auth.some((a) => a.kind !== 'none' && a.kind !== 'api-key-in-client');
  return signedIn
    ? s.fix
    : 'key what is stored by an id the client presents again on every reconnect (the verified user id once there is a sign-in; the project has none today), not the connection id';
}

/** A typing event that starts or continues typing; a stop (`typing:stop`, `stopTyping`, `typingEnd`) is always sent at once, never throttled. */
export function typingStart(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.includes('typing') && !words.some((w) => /^(?:stop|stopped|end|ended|done|idle)$/.test(w));
}

/** Current state shows the diagnoses and the steps link their causes: one computation per plan. */
const diagnosed = new WeakMap<DesignCtx, Diagnosis[]>();

export function diagnoseProblems(ctx: DesignCtx): Diagnosis[] {
  let out = diagnosed.get(ctx);
  if (!out) diagnosed.set(ctx, (out = diagnose(ctx)));
  return out;
}

function diagnose(ctx: DesignCtx): Diagnosis[] {
  const reqs = ctx.input.sessions.requirements;
  const findings = ctx.input.analysis.findings;
  const proxy = reqs.find((r): r is InfraRequirement => r.kind === 'infra' && r.fact === 'proxy-idle-timeout');
  const trace = traitsOf(ctx).traceMd;
  return reqs
    .filter((r): r is ProblemRequirement => r.kind === 'problem')
    .map((p) => {
      const matched: Array<[Finding, string]> = [];
      for (const s of SYMPTOMS) {
        if (!s.pattern.test(p.sentence) || s.unless?.test(p.sentence)) continue;
        for (const id of s.causes)
          for (const f of findings.filter((x) => x.id === id)) matched.push([f, s.quote?.includes(id) ? `${s.how[id]!}: ${f.message}` : s.how[id]!]);
      }
      const seen = new Set<string>();
      const causes = matched.filter(([f]) => !seen.has(`${f.id}@${f.evidence}`) && seen.add(`${f.id}@${f.evidence}`)).slice(0, 3);
      const facts = FACT_SYMPTOMS.filter((s) => s.pattern.test(p.sentence))
        .flatMap((s) => (ctx.input.analysis.modelFacts ?? []).filter((f) => s.kinds.includes(f.kind)).map((f) => [f, s.how] as const))
        .filter(([f]) => !seen.has(`${f.name}@${f.evidence}`) && seen.add(`${f.name}@${f.evidence}`))
        .slice(0, Math.max(0, 3 - causes.length));
      const all = possibleCauses(ctx, p.sentence);
      const shown = all.filter((m) => m.shown).map((m) => m.md);
      const possible = all.filter((m) => !m.shown);
      const maybes = possible.map((m) => m.md);
      // A symptom the real-time server product names itself (Centrifugo's "insufficient state"): diagnosed from its config.
      const server = protocolTraits(ctx).channels;
      const own = server ? insufficientStateMd(server, ctx.input, p.sentence, entityNamespace(ctx.input, ctx.entity)?.store ?? ctx.entity) : null;
      let causeMd: string;
      let confidence: DiagnosisConfidence;
      if (own && causes.length === 0) {
        causeMd = own;
        confidence = 'server';
      } else if (causes.length + facts.length + shown.length > 0) {
        // One finding reported at several places (the client and the server) is one cause, with each place.
        const groups = new Map<string, { id: string; how: string; at: string[] }>();
        for (const [f, how] of causes) {
          const g = groups.get(`${f.id}\n${how}`);
          if (g) g.at.push(f.evidence);
          else groups.set(`${f.id}\n${how}`, { id: f.id, how, at: [f.evidence] });
        }
        const items = [
          ...[...groups.values()].map((g) => `${code(g.id)} at ${list(g.at.map((e) => code(e)))}: ${text(g.how)}`),
          ...facts.map(([f, how]) => `${code(f.name)} at ${code(f.evidence)}: ${text(how)}`),
          ...shown,
        ];
        const seeFacts = facts.length > 0 ? ' (see What the code shows in Current state)' : '';
        const fix = causes.length > 0 ? ' The fix is in Findings and the implementation steps.' : '';
        causeMd = `Likely ${items.length === 1 ? 'cause' : 'causes'}: ${items.length === 1 ? items[0] : items.map((x, i) => `(${i + 1}) ${x}`).join('; ')}${seeFacts}.${fix}`;
        if (maybes.length > 0) causeMd += ` It may also be ${list(maybes)}.`;
        confidence = 'likely';
      } else if (maybes.length > 0) {
        causeMd = `It may be ${list(maybes)}.`;
        confidence = 'possible';
      } else if (UNEXPLAINED.some((u) => u.pattern.test(p.sentence))) {
        causeMd = UNEXPLAINED.find((u) => u.pattern.test(p.sentence))!.md;
        confidence = 'unexplained';
      } else {
        confidence = 'unknown';
        // With no source file read (a package that is only a bundle), no finding is no evidence either way.
        const lead =
          ctx.input.analysis.project.sourceFiles.length === 0
            ? 'rt-plan read none of the code, so it cannot point to a cause.'
            : 'The code does not show a likely cause: no audit finding matches this symptom.';
        causeMd = LOAD_SHAPED.test(p.sentence)
          ? `${lead} Reproduce it with the load test in Testing strategy and ${trace}.`
          : `${lead} Reproduce it by hand, following the steps the report describes, before changing code for it.`;
      }
      if (proxy && causes.some(([f]) => f.id === 'no-heartbeat' || f.id === 'sse-no-keepalive')) {
        causeMd += ` The context says ${text(proxy.component)} closes idle connections after ${fmt(proxy.valueMs ?? 0)} ms (${code(proxy.evidence)}): the heartbeat in Connection management stays below it.`;
      }
      // What the diagnosis names in the code: the causes it states, and the possible ones, each with what changes there.
      const targets: CauseTarget[] =
        confidence === 'likely' || confidence === 'possible'
          ? [
              ...causes.map(([f]) => at(f.evidence, `the fix for ${code(f.id)} in Findings`, f.id)),
              ...facts.map(([f]) => at(f.evidence, symptomFix(ctx, FACT_SYMPTOMS.find((s) => s.kinds.includes(f.kind) && s.pattern.test(p.sentence))!))),
              ...possible.flatMap((m) => (m.target ? [m.target] : [])),
            ]
          : [];
      return { sentence: p.sentence, evidence: p.evidence, causeMd, confidence, targets };
    });
}

/**
 * Causes the plan knows of but cannot confirm from the code: a per-message limit the provider
 * sets, a send per keystroke. Each says "may be" and why, with its own evidence.
 */
/** A change other viewers see undone after it showed: not only one that never arrived. */
const UNDONE = /\b(?:snaps? back|jumps? back|moves? back|reverts?|out of order)\b/i;

function possibleCauses(ctx: DesignCtx, sentence: string): Maybe[] {
  const out: Maybe[] = [];
  const limit = managedProvider(ctx.input)?.messageLimitMd;
  if (limit && TOO_LARGE.test(sentence)) {
    out.push({
      md: `the provider's payload limit, ${text(limit)} (Payload cap in Security): an event above it is not delivered, so content saved over HTTP never arrives live`,
    });
  }
  // A publish the provider refuses rejects: awaited outside try/catch in a handler whose framework drops
  // the handler's promise (an async Express 4 route, What the code shows), nothing after it runs and nothing answers.
  if (limit && TOO_LARGE.test(sentence)) {
    for (const f of (ctx.input.analysis.modelFacts ?? []).filter((x) => x.kind === 'unguarded-async-route')) {
      const file = f.evidence.replace(/:\d+$/, '');
      const lines = (f.value ?? '').split(', ');
      const publish = ctx.input.analysis.events.find(
        (e) =>
          e.origin === 'existing' &&
          e.direction === 'server-to-client' &&
          e.evidence?.startsWith(`${file}:`) &&
          lines.includes(e.evidence.slice(file.length + 1)),
      );
      if (!publish?.evidence) continue;
      // The row is saved only where the handler writes before the publish; otherwise the client must retry.
      const publishLine = Number(publish.evidence.slice(file.length + 1));
      const saved = (f.writesAt ?? []).filter((l) => l < publishLine);
      const after = f.rejectionListenerAt
        ? `the request gets no answer, and the process's ${code('unhandledRejection')} listener (${code(f.rejectionListenerAt)}) is what sees the rejection`
        : `and with no ${code('unhandledRejection')} listener in the project, Node 15 and later end the process on the rejection by default`;
      out.push({
        md: `the publish of ${code(publish.name)} at ${code(publish.evidence)}, awaited outside try/catch in the async handler of ${code(f.name)}, whose rejection this Express version does not catch (What the code shows): when the provider refuses the event, nothing after that await runs, ${after}`,
        target: at(
          publish.evidence,
          saved.length > 0
            ? `catch a failed publish: log it and still answer the request, since the row is already saved (line ${saved[saved.length - 1]}), so that what follows it still runs`
            : `catch a failed publish and answer with an error the client can retry, since nothing in this handler stores the event before it`,
        ),
      });
      break;
    }
  }
  // A change other viewers see undone: on several instances, a listener that awaits its write and only
  // then emits sends in the order the writes settle on each instance, which need not be the order stored.
  const instances = ctx.capacity.result.instances;
  if (UNDONE.test(sentence) && instances > 1) {
    // A change's broadcast from the listener of that change (`card:move` → `card:moved`), not a join's roster.
    const sent = ctx.input.analysis.events.find(
      (e) =>
        e.origin === 'existing' &&
        e.direction === 'server-to-client' &&
        e.evidence &&
        e.afterAwait &&
        !/join|leave|subscribe|watch|auth|login/i.test(e.afterAwait.event) &&
        parseName(e.name)?.noun === parseName(e.afterAwait.event)?.noun,
    );
    if (sent?.afterAwait && sent.evidence)
      out.push({
        md: `two changes of one item handled at once on two of the ${fmt(instances)} instances: the listener of ${code(sent.afterAwait.event)} awaits at ${code(sent.afterAwait.at)} and only then sends ${code(sent.name)} (${code(sent.evidence)}), so the two sends can arrive in the opposite order to the one the writes were stored in; viewers then apply the later change first and the earlier one moves the item back, while a reload reads the stored state`,
        target: at(
          sent.evidence,
          `send ${code(sent.name)} with the seq its write took (State synchronization), so a client drops a change older than the one it holds`,
        ),
      });
  }
  // "The typing indicator shows people who left" is about who is shown, not what each keystroke costs.
  if (PER_MESSAGE.test(sentence) && !ROOM_MIXUP.test(sentence)) {
    const stated = ctx.input.sessions.requirements.find((r) => 'sentence' in r && r.kind !== 'problem' && /\b(?:every|each|per) keystroke\b/i.test(r.sentence));
    for (const e of ctx.input.analysis.events) {
      if (!/typing/i.test(e.name) || e.direction === 'server-to-client' || !e.evidence) continue;
      // Cite where the client sends it (the keystroke handler), not where a side receives it.
      const clientSend = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'client-send' && f.name === e.name)?.evidence;
      const sent = clientSend ?? e.evidence;
      // The code shows the send per key pressed: a cause where the symptom is what messages cost, and none where it is not.
      const keyed = keystrokeSend(ctx, e.name);
      if (keyed) {
        if (COST.test(sentence))
          out.push({
            md: `${code(e.name)} at ${code(sent)}: ${keystrokeMd(keyed)}, so each key pressed is one more message to deliver, to count against rate limits and to pay for; the fix is the client typing throttle in the implementation steps`,
            shown: true,
          });
        break;
      }
      const why = stated ? `the context says typing is sent on every keystroke (${code(stated.evidence)}), so each` : 'if it is sent on every keystroke, each';
      out.push({
        md: `${code(e.name)} at ${code(sent)}, which the client sends while the user types: ${why} key pressed is one more message to deliver, to count against rate limits and to pay for`,
        // A step changes the client's send; where rt-plan found only the server's handler, the cause stays in prose.
        ...(clientSend && typingStart(e.name)
          ? {
              target: at(
                clientSend,
                `send ${code(e.name)} at most once per ${fmt(TYPING_THROTTLE_MS / 1000)} s per sender while the user types (a throttle where it is sent), not on every keystroke`,
              ),
            }
          : {}),
      });
      break;
    }
  }
  // More data than expected on the client: a feed's every update is sent to each subscriber as it arrives.
  if (DATA_USE.test(sentence)) {
    const droppable = ctx.capacity.workload.streams.some((x) => x.droppable && !x.inbound);
    const fed = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'broadcast-source' && f.value !== 'client');
    if (droppable && fed)
      out.push({
        md: `${code(fed.name)} at ${code(fed.evidence)}, which sends to its subscribers each time ${list((fed.value ?? '').split(', ').map((n) => code(n)))} calls it, so a client receives every update of everything it watches as it arrives, with nothing that keeps only the newest value per entity; Performance and scaling sizes the interval that keeps it within the stated limit`,
        target: at(fed.evidence, 'keep only the newest value per entity and send at the interval Performance and scaling sizes'),
      });
  }
  // A busy page (slow, hot, fans spinning): a fast stream the client only receives is rendered per message unless batched.
  if (HEAVY_PAGE.test(sentence)) {
    const w = ctx.capacity.workload;
    for (const x of (w?.streams ?? []).filter((s) => s.droppable && !s.inbound)) {
      const received = receivedOnly(ctx, x.kind);
      if (!received) continue;
      out.push({
        md: `${list(received.map((e) => code(e)))} (${publishedMd(w, x, ctx.capacity.values.connections)}), which the client only receives: where each one is applied to rendered state as it arrives, every message is a render of everything that reads that state, more often than the screen can show; Performance and scaling applies them once per animation frame`,
      });
      break;
    }
  }
  // An update lost in a drop: the client subscribes again on each connection, but nothing it handles
  // brings back the current state, so the screen keeps what it showed before (and someone acts on it again).
  const noState = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'resubscribe-no-state');
  if (noState && MISSED_UPDATE.test(sentence)) {
    const changes = (noState.value ?? '').split(', ').filter(Boolean);
    // The example: a change no later one supersedes (a status, not a position), where Core design says which.
    const kept = coreOf(ctx)
      .objects.filter((o) => o.decision.delivery === 'reliable')
      .flatMap((o) => o.events.map((e) => e.name));
    const example = changes.find((n) => kept.includes(n));
    out.push({
      md: `a change lost during the drop: ${code(noState.name)} at ${code(noState.evidence)} subscribes again on every new connection, but every event the client handles is a change (${list(changes.map((n) => code(n)))}), none the current state, so a change sent while the connection was down${example ? ` (a ${code(example)} during the drop)` : ''} is never applied: the screen keeps showing the old state, and someone acting on it does again what was already done${ctx.input.analysis.findings.some((f) => f.id === 'client-only') ? ' (rt-plan cannot see whether the server sends the current state on subscribe, since its code is not here; where it does not, the client reloads the current state after each resubscribe)' : ''}`,
      target: at(
        noState.evidence,
        'where the server does not send the current state on subscribe, load it after each resubscribe, before applying the changes that follow',
      ),
    });
  }
  // The same action applied twice after a drop: the code's send queue can replay it, but only a
  // send made while the socket is not open goes through it (a control disabled then never does).
  const queued = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'queued-send');
  if (queued && REPEATED.test(sentence))
    out.push({
      md: `the send queue at ${code(queued.evidence)}: ${code(queued.name)} queues a message sent while the socket is not open and sends it after the reconnect, so a command sent then and repeated meanwhile reaches the server twice; this needs a send to get through while the socket is not open, which a control disabled while disconnected prevents, so check that first`,
      target: at(
        queued.evidence,
        'where a send can get through while the socket is not open, give each queued command an id and have the server ignore an id it has already applied',
      ),
    });
  return out;
}

/** A page that grows slow or hot: the client does too much work per message. */
const HEAVY_PAGE = /\b(?:sluggish|janky|jank|laggy|freez\w*|unresponsive|fans? (?:spins?|spinning)|CPU|battery (?:drain\w*|dies)|heats? up)\b/i;

/** A client that uses more data or bandwidth than expected. */
const DATA_USE = /\b(?:(?:mobile )?data (?:use|usage)|uses? (?:far |much |a lot )?more data|bandwidth|data plan|megabytes|traffic)\b/i;

/** The same action applied two or more times. */
const REPEATED = /\b(?:twice|two times|double\w*|duplicat\w*)\b/i;
