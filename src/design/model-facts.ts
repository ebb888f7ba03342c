// What the project model says that Current state names beside the stack table: its facts
// (state kept in one process, a token read from the URL, options defined in another module…),
// each at its line, and the real-time code no adapter models, with the parts of this plan that
// are generic because of it. Pure: reads the Analysis only.
import type { Analysis, ModelFact } from '../types.js';
import type { InstanceFeed } from './feed.js';
import { code, list, text } from './md.js';

/** A note with `code` spans made into inert Markdown: text outside them escaped, spans fenced. */
/** An existing server-to-client send written between a route handler's first and last line. */
function sendsFromHandler(analysis: Analysis, f: ModelFact): boolean {
  if (!f.handlerAt || f.handlerEnd === undefined) return false;
  const file = f.handlerAt.replace(/:\d+$/, '');
  const from = Number(f.handlerAt.slice(file.length + 1));
  return analysis.events.some((e) => {
    if (e.origin !== 'existing' || e.direction !== 'server-to-client' || !e.evidence?.startsWith(`${file}:`)) return false;
    const line = Number(e.evidence.slice(file.length + 1));
    return line >= from && line <= f.handlerEnd!;
  });
}

export function noteMd(note: string): string {
  return note
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? code(part) : text(part)))
    .join('');
}

export interface ModelFactsView {
  /** `fixMd`: what a step changes at this fact's line, where the plan asks for it (steps.ts links it to the step). */
  modelFacts: { evidence: string; noteMd: string; fixMd?: string }[];
  unmodelled: { name: string; evidence: string; genericMd: string }[];
}

/**
 * `running`: the instances the context already runs, when more than one. State kept in one
 * process is then split today, not only once the app scales out: clients of one room that land
 * on different processes (a load balancer spreads them) never see each other's messages.
 */
/**
 * Where the session context asks that users who were offline get events later ("shoppers who
 * were offline should get missed notifications after reconnecting"), a send that drops the event
 * when the user has no connection is the gap to close; elsewhere it is how live-only delivery works.
 */
export const OFFLINE_DELIVERY =
  /\bmissed (?:notifications?|messages?|events?|updates?|alerts?)\b|\b(?:offline|disconnected|not connected)\b[^.]{0,80}\b(?:get|gets|receive|receives|see|sees|catch(?:es)? up on|delivered)\b|\b(?:deliver\w*|queue\w*|stor(?:e|ed|ing))\b[^.]{0,40}\b(?:for|to) (?:offline|disconnected) (?:users?|clients?|shoppers?|members?|customers?)\b/i;

export function modelFactsView(
  analysis: Analysis,
  running?: { value: number; evidence: string },
  offlineAsk?: { sentence: string; evidence: string },
  feed?: InstanceFeed | null,
  streamsAnswers = false,
): ModelFactsView {
  // A socket index is right to keep per process, but with no cross-node fan-out in the code a
  // message sent through it on one process still never reaches the sockets another one holds.
  const fanOut = analysis.stack.scaling.length > 0;
  // Where every instance consumes the whole source its broadcasts come from, each sends that
  // source's data to the sockets it holds: nothing crosses processes for those broadcasts, and
  // state filled only from the source holds the same data on every instance.
  const fed = feed ? ` The context says "${text(feed.sentence)}" (${code(feed.evidence)})` : '';
  const split = (fact: ModelFact): string =>
    !running || running.value <= 1
      ? ''
      : feed && fact.kind === 'process-state' && fact.feed
        ? `${fed}, and only ${list(fact.feed.split(', ').map((n) => code(n)))} changes it, from that source: each instance fills its own copy with the same data, so it needs no shared store and no cross-process fan-out.`
        : feed && fact.kind === 'socket-index'
          ? `${fed}, and what is sent to these sockets comes from that source (${list(feed.broadcasts.filter((b) => b.store === fact.name).map((b) => code(b.name)))}, below): each instance sends it to the sockets it holds, so these broadcasts need no cross-process fan-out.`
          : fact.kind === 'process-state'
            ? ` The context already runs ${running.value} processes (${code(running.evidence)}): clients that land on different processes see different copies, so a message or change that goes through it on one process never reaches the clients held by another. Cross-process fan-out is needed now, not only when scaling out.`
            : fact.kind === 'socket-index' && !fanOut
              ? ` The context already runs ${running.value} processes (${code(running.evidence)}) and the code has no cross-node fan-out yet, so today a message sent through it on one process never reaches the clients held by another. Cross-process fan-out is needed now, not only when scaling out.`
              : '';
  // Server options are cited where the plan uses them (liveness, payload cap, backpressure, compression).
  const asked = offlineAsk
    ? ` The context asks that users who were offline get the events they missed (${code(offlineAsk.evidence)}): store each event per user before this lookup, and send the ones a user missed when they reconnect.`
    : '';
  const modelFacts = (analysis.modelFacts ?? [])
    // A repeat that counts again is a defect only where the context says once per something: Findings says so there (once-per.ts).
    // Room broadcasts are cited where they are sized (room-bursts.ts), not listed one by one.
    .filter(
      (f) =>
        f.kind !== 'server-option' &&
        f.kind !== 'reconnect-attempts' &&
        f.kind !== 'reconnect-delay' &&
        f.kind !== 'client-send' &&
        // The clock a change time is set by is said where copies are ordered by it (edge-cases.ts).
        f.kind !== 'change-time' &&
        // Who may reach a channel is said in Security, per channel (access.ts).
        f.kind !== 'channel-grant' &&
        // A client's own channel cleanup is kept where a step changes that module (steps.ts).
        f.kind !== 'channel-cleanup' &&
        f.kind !== 'access-refusal' &&
        f.kind !== 'delivery-filter' &&
        f.kind !== 'connection-check' &&
        f.kind !== 'scoped-send' &&
        f.kind !== 'repeat-accumulates' &&
        f.kind !== 'room-broadcast' &&
        // A broadcast that leaves its sender out is shown in the capacity arithmetic (recipients per message).
        f.kind !== 'sender-excluded' &&
        // Routes are named where a control or a step is about them (routes.ts).
        f.kind !== 'http-route' &&
        // A route module's exported handler is read where the load test drives that route (testing.ts).
        f.kind !== 'route-handler' &&
        // The body fields a route reads are said where the plan extends that route (Event protocol).
        f.kind !== 'route-body' &&
        // A send per key pressed is said where a reported problem or the typing throttle is about it (problems.ts, steps.ts).
        f.kind !== 'keystroke-send' &&
        // Which packages only the browser imports decides which store is the server's (profiles/stores.ts), not a line of its own.
        f.kind !== 'browser-only-package' &&
        // A server config's settings are cited where the plan uses them (history, recovery, engine); the file itself is listed.
        (f.kind !== 'server-config' || f.name === 'file') &&
        (f.kind !== 'send-drops-offline' || offlineAsk) &&
        // An async Express 4 route is about real time only where its handler publishes or emits: a
        // rejection before that send loses the event. The rest of the app's routes are not this plan's.
        (f.kind !== 'unguarded-async-route' || sendsFromHandler(analysis, f)),
    )
    .map((f) => ({
      evidence: f.evidence,
      noteMd: `${noteMd(f.note)}${split(f)}${f.kind === 'send-drops-offline' ? asked : ''}`,
      ...(f.kind === 'unguarded-listener-parse'
        ? { fixMd: `parse inside try/catch (or a safe-parse helper that also checks the shape) and ignore a message that fails` }
        : {}),
      ...(f.kind === 'listener-kept' ? { fixMd: `register it as a named function and take it off in the effect's cleanup with that name` } : {}),
      ...(f.kind === 'unguarded-async-route'
        ? {
            fixMd: `catch what the ${f.value?.includes(',') ? `awaits at lines ${text(f.value)} reject` : 'await here rejects'} with (a try/catch that passes the error to ${code('next(err)')} or answers the request itself), since this Express version drops the promise an async handler returns`,
          }
        : {}),
      // A resolver that checks nobody is changed where it runs; Security says what it checks.
      ...(f.kind === 'refetch-per-event'
        ? {
            fixMd:
              'apply each event to the shown list from its own result (replace the item by its id, add a new one, drop one that leaves the list) instead of downloading the whole list per event; refetch only after a reconnect',
          }
        : {}),
      ...(f.kind === 'resolver-no-context'
        ? { fixMd: 'read the caller from the context and refuse one the operation is not for (Security, Queries and mutations)' }
        : {}),
      ...(f.kind === 'send-drops-offline' && offlineAsk
        ? {
            fixMd: `store each event per user before the connection lookup, and send the ones a user missed when they reconnect (${code(offlineAsk.evidence)})`,
          }
        : {}),
      // One entry per connection: the list is made unique by the client's id, and shows what each entered with.
      ...(f.kind === 'presence-per-connection' && f.value
        ? {
            fixMd: `list each ${code(f.value)} once, whatever its number of connections, and show the ${code('data')} it entered with instead of the id`,
          }
        : {}),
      // A plan that streams the answer needs the provider's stream first: without it the first token waits for the last.
      ...(f.kind === 'unstreamed-completion' && streamsAnswers
        ? {
            fixMd: `pass ${code('stream: true')} to ${code(`${f.name}()`)}, with the incoming request's ${code('signal')} in its request options (${code('{ signal }')}, the second argument), and relay each chunk of the stream it returns as it arrives, so the first tokens leave before the answer is complete and a cancelled request stops the generation`,
          }
        : {}),
    }));
  const unmodelled = (analysis.unmodelled ?? []).map((u) => ({
    name: u.name,
    evidence: u.evidence,
    genericMd: `${code(u.name)} looks like real-time code${u.reason ? ` (${text(u.reason)})` : ''}, and rt-plan has no model of it. So these parts of this plan are generic for it: the heartbeat and reconnection rows above, the event list, and the audit, which stays silent rather than guess; the connection, scaling and testing advice is the general practice, not its own API or settings. Check them against its documentation.`,
  }));
  return { modelFacts, unmodelled };
}

/** The value of a heartbeat or reconnection row when none was found: unknown when something real-time is not modelled. */
export function noneFoundMd(analysis: Analysis): string {
  const names = (analysis.unmodelled ?? []).map((u) => code(u.name));
  return names.length > 0 ? `not known: ${names.join(', ')} is not modelled (see below)` : '**none found**';
}

/**
 * The close code the client's own reconnect loop stops on (the first it tests, and where), when
 * the code has one: an auth refusal must be that close, after the upgrade, for the client to stop.
 */
export function clientStopCode(analysis: Analysis): { codeMd: string; atMd: string } | null {
  const f = (analysis.modelFacts ?? []).find((x) => x.kind === 'close-code-stop' && x.value);
  // An application code (4000–4999) or policy violation (1008): a stop on a normal or going-away
  // close (1000, 1001) is the client not retrying a clean close, and an auth refusal sent as one
  // would look like every other clean close in logs and to the plan's own drain.
  const stop = f?.value!.split(', ').find((c) => /^(?:4\d{3}|1008)$/.test(c));
  return f && stop ? { codeMd: code(stop), atMd: code(f.evidence) } : null;
}
