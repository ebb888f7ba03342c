// Steps taken from what this project's code and context show: the audit findings by file, the
// model's facts that the design changes in place (a client per stream, process-local state), the
// project's own protocol module, and a broadcast rate the context caps.
import type { ConstraintRequirement, Finding } from '../types.js';
import type { DesignCtx } from './context.js';
import { quoteOf } from './constraints.js';
import { instanceFeed } from './feed.js';
import { callerMust, openGrantMd, openGrants } from './access.js';
import { runsOwnFleet } from './profiles/fleet.js';
import { quotaProfile } from './profiles/quotas.js';
import { guestGap } from './security.js';
import { code, fmt, list } from './md.js';
import type { StepDraft } from './scenarios/kit.js';
import type { StepFile } from './types.js';

/**
 * What the project model shows that the design changes in place (Current state's "What the
 * code shows"): a client opened per stream is shared, and process-local state moves out once
 * the plan runs more than one instance.
 */
export function factSteps(ctx: DesignCtx): StepDraft[] {
  const facts = ctx.input.analysis.modelFacts ?? [];
  const at = (e: string) => ({ file: e.replace(/:\d+$/, ''), line: e.slice(e.replace(/:\d+$/, '').length + 1) });
  const out: StepDraft[] = [];
  const perStream = facts.filter((f) => f.kind === 'per-connection-client');
  if (perStream.length > 0)
    out.push({
      title: 'One client per process instead of one per stream',
      ourServer: true,
      files: perStream.map((f) => ({
        path: at(f.evidence).file,
        action: 'change' as const,
        why: `line ${at(f.evidence).line}: one client per process (one reader per channel), fanned out in-process to every open stream of that channel`,
        lines: [at(f.evidence).line],
      })),
      detailMd:
        'Connections to that service then grow with instances and channels, not with viewers; since every instance reads it, it already carries events between instances, so no pub/sub of ours is added on top.',
    });
  // The context limits who may connect, and the token route signs any name the client sends: the route refuses the others.
  const open = callerMust(ctx) ? openGrants(ctx) : [];
  if (open.length > 0)
    out.push({
      title: 'Refuse names the user may not use',
      ourServer: true,
      files: [...new Set(open.map((f) => at(f.evidence).file))].map((file) => ({
        path: file,
        action: 'change' as const,
        why: `before signing (line ${open
          .filter((f) => at(f.evidence).file === file)
          .map((f) => at(f.evidence).line)
          .join(', ')}), check that the signed-in user may use the name the request carries and answer 403 otherwise`,
        lines: open.filter((f) => at(f.evidence).file === file).map((f) => at(f.evidence).line),
      })),
      detailMd: `Meets ${quoteOf(callerMust(ctx)!)}: today the route ${list(open.map(openGrantMd))}. Test both answers: 403 for a name the user may not use, a token for one they may.`,
    });
  // Guests the context admits without accounts, where the code authorizes only a signed-in session.
  const guests = guestGap(ctx);
  if (guests)
    out.push({
      title: 'Let guests in by their signed invite',
      ourServer: true,
      files: [...new Set(guests.sessionOnly.map((e) => at(e).file))].map((file) => ({
        path: file,
        action: 'change' as const,
        why: `where a request without a session is refused today (line ${guests.sessionOnly
          .filter((e) => at(e).file === file)
          .map((e) => at(e).line)
          .join(
            ', ',
          )}), accept one that carries a signed invite instead: verify its signature, its expiry and the page it grants, ${guests.identityMd}; a guest gets only what the invite grants, never a user's private channel`,
      })),
      detailMd: `Meets ${quoteOf({ sentence: guests.sentence, evidence: guests.evidence })}. Test it: a valid invite for this page is let in under the invite's identity; an expired, forged or other page's invite gets 403, and a private channel of a user is refused to every guest.`,
    });
  // A room larger than a presence channel holds (Performance and scaling): the route that signs presence decides what happens above it.
  const quota = ctx.providerDirect ? null : quotaProfile(ctx.input.analysis.stack.providers);
  const room = ctx.capacity.workload.largestRoom ?? ctx.capacity.workload.room;
  const signs = facts.find((f) => f.kind === 'auth-route');
  const presence = ctx.input.sessions.requirements.some((r) => r.kind === 'feature' && r.feature === 'presence');
  if (quota?.presenceMembers && presence && room && room.value > quota.presenceMembers.max && signs)
    out.push({
      title: `Rooms above a presence channel's ${fmt(quota.presenceMembers.max)} members`,
      ourServer: true,
      files: [
        {
          path: at(signs.evidence).file,
          action: 'change',
          why: `where presence subscriptions are signed (line ${at(signs.evidence).line}): rooms of up to ${fmt(room.value)} (${code(room.evidence)}) do not fit one ${quota.label} presence channel, so apply the option chosen in Performance and scaling (the row on the largest room) here, and test a room of ${fmt(quota.presenceMembers.max + 1)} members`,
        },
      ],
      detailMd: `A ${quota.label} presence channel holds at most ${fmt(quota.presenceMembers.max)} members: pick one of the two options Performance and scaling gives before a room grows past it.`,
    });
  // State every instance fills from the source it consumes in full is the same everywhere: it stays.
  const feed = instanceFeed(ctx.input);
  const local = facts.filter((f) => f.kind === 'process-state' && !(feed && f.feed));
  // Where no fleet of ours holds the connections (a managed provider, a serverless host), the instance
  // count is not one rt-plan sized, so the plan does not claim one.
  if (local.length > 0 && ctx.capacity.result.instances > 1 && runsOwnFleet(ctx))
    out.push({
      title: 'Move process-local state out of memory',
      ourServer: true,
      files: [...new Set(local.map((f) => at(f.evidence).file))].map((file) => ({
        path: file,
        action: 'change' as const,
        why: local
          .filter((f) => at(f.evidence).file === file)
          .map((f) => `${code(f.name)} (line ${at(f.evidence).line})`)
          .join(', '),
        lines: local.filter((f) => at(f.evidence).file === file).map((f) => at(f.evidence).line),
      })),
      detailMd: `The plan runs ${fmt(ctx.capacity.result.instances)} instances: state every instance must see goes to the shared store, and events to the cross-node fan-out.${keptMd(facts)}`,
    });
  return out;
}

/**
 * Collections of live connections or registered callbacks stay in each process: no store can
 * hold a socket or a function, so each instance keeps its own and the fan-out feeds it.
 */
function keptMd(facts: readonly { kind: string; name: string; evidence: string }[]): string {
  const kept = facts.filter((f) => f.kind === 'socket-index' || f.kind === 'callback-registry');
  if (kept.length === 0) return '';
  const what = (k: string) => (k === 'socket-index' ? 'live connections' : 'callbacks');
  const items = kept.map((f) => `${code(f.name)} (${code(f.evidence)}, ${what(f.kind)})`);
  return ` ${list(items)} stay${kept.length === 1 ? 's' : ''} in each process: a store cannot hold a connection or a function, so each instance keeps its own and delivers to it the events the fan-out brings; only the data moves.`;
}

/**
 * A module the project already keeps its protocol in (`protocol.ts`, `events.ts`, `messages.ts`
 * outside routes and translations, and not an entry file): new events extend it.
 */
export function protocolModule(ctx: DesignCtx): string | null {
  const entries = new Set(ctx.input.analysis.stack.entrypoints.map((e) => e.file));
  // The module that exports the event names the code uses (model fact) is the protocol module, whatever its file name.
  const named = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'protocol-names');
  if (named) return named.evidence.replace(/:\d+$/, '');
  return (
    ctx.input.analysis.project.sourceFiles.find(
      (f) =>
        /(^|\/)(protocol|events|messages)\.[cm]?[jt]s$/.test(f) &&
        !/(^|\/)(routes|api|handlers|i18n|locales?|test|tests|__tests__)\//.test(f) &&
        !entries.has(f),
    ) ?? null
  );
}

/** The exported names (enums, constant objects) a module holds the event names in, with their lines. */
export function protocolNamesIn(ctx: DesignCtx, file: string): { name: string; at: string }[] {
  return (ctx.input.analysis.modelFacts ?? [])
    .filter((f) => f.kind === 'protocol-names' && f.evidence.replace(/:\d+$/, '') === file)
    .map((f) => ({ name: f.name, at: f.evidence }));
}

/**
 * The workspace package the protocol module lives in when other workspace packages depend on it
 * (a shared `@quiz/protocol` linked by `workspace:*`): schemas belong there, shared by every side.
 */
export function sharedProtocolPackage(ctx: DesignCtx): { name: string; dir: string; manifest: string; file: string; users: string[] } | null {
  const file = protocolModule(ctx);
  if (!file) return null;
  const pkgs = ctx.input.analysis.project.packages;
  const home = pkgs.filter((p) => p.dir !== '' && p.name && file.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const name = home?.name;
  if (!home || !name) return null;
  const users = pkgs.filter((p) => p !== home && p.dependencies[name] !== undefined).flatMap((p) => (p.name ? [p.name] : []));
  return users.length > 0 ? { name, dir: home.dir, manifest: home.manifest, file, users } : null;
}

/** One step per audit, named after the files it changes and the findings in each. */
export function findingsStep(findings: Finding[], elsewhere: ReadonlyMap<string, string> = new Map()): StepDraft {
  const files = new Map<string, StepFile>();
  const add = (path: string, line: string, item: string) => {
    const prev = files.get(path);
    files.set(path, { path, action: 'change', why: prev ? `${prev.why}, ${item}` : item, lines: [...(prev?.lines ?? []), line] });
  };
  const awaited = new Set<string>();
  for (const fd of findings) {
    const file = fd.evidence.replace(/:\d+$/, '');
    const line = fd.evidence.slice(file.length + 1);
    // A finding whose fix is not at its line (the load balancer's stickiness): where it is.
    const there = elsewhere.get(fd.id);
    // A fix made on each client (Finding.readAt): the client changes where it reads the figure, and the send is removed.
    add(
      file,
      line,
      fd.readAt
        ? `${code(fd.id)} (line ${line}): remove this send once the clients below count for themselves`
        : `${code(fd.id)} (line ${line}${there ? `; ${there}` : ''})`,
    );
    for (const at of fd.readAt ?? []) {
      const other = at.replace(/:\d+$/, '');
      const otherLine = at.slice(other.length + 1);
      add(
        other,
        otherLine,
        `${code(fd.id)} (line ${otherLine}, where the client reads what it sends): count here from the provider's member list instead, on every join, leave and reconnect (the fix in Findings)`,
      );
    }
    // A place the fix also changes (the caller that must now await): listed with the file it is in, once.
    for (const at of fd.alsoAt ?? []) {
      if (awaited.has(`${fd.id}@${at}`)) continue;
      awaited.add(`${fd.id}@${at}`);
      const other = at.replace(/:\d+$/, '');
      const otherLine = at.slice(other.length + 1);
      add(other, otherLine, `${code(fd.id)} (line ${otherLine}, where its fix is awaited)`);
    }
  }
  const names = [...files.keys()];
  return {
    kind: 'findings',
    title: `Fix the audit findings in ${list(names.slice(0, 2).map((n) => code(n)))}${names.length > 2 ? ` and ${fmt(names.length - 2)} more` : ''}`,
    files: [...files.values()],
    detailMd: 'Before anything is built on this code; the fix for each is in the Findings table of Current state.',
  };
}

/** "updating it 5 times a second is plenty", "at most 10 updates per second": a cap on how often the UI needs a change. */
const RATE_CAP =
  /\b(\d+)\s*(?:times|updates?|renders?)\s*(?:a|per)\s*second\b[^.;]*\b(?:plenty|enough|at most|maximum|max)\b|\b(?:at most|no more than|up to)\s*(\d+)\s*(?:times|updates?)\s*(?:a|per)\s*second\b/i;

/**
 * The context caps how often the UI needs an update: coalesce the existing broadcast the
 * context names (by its action word) to that rate per channel, sending the latest state.
 */
export function coalesceStep(ctx: DesignCtx): StepDraft | null {
  return coalesceOf(ctx)?.step ?? null;
}

/** The rate per channel the plan's steps coalesce the broadcasts to, when they do. */
export function coalesceRate(ctx: DesignCtx): number | null {
  return coalesceOf(ctx)?.perSecond ?? null;
}

function coalesceOf(ctx: DesignCtx): { step: StepDraft; perSecond: number } | null {
  const reqs = ctx.input.sessions.requirements;
  const cap = reqs.find((r): r is ConstraintRequirement => r.kind === 'constraint' && RATE_CAP.test(r.sentence));
  if (!cap) return null;
  const m = RATE_CAP.exec(cap.sentence)!;
  const perSecond = Number(m[1] ?? m[2]);
  if (!(perSecond > 0)) return null;
  const said = reqs.map((r) => r.sentence.toLowerCase()).join(' ');
  const action = (name: string) =>
    name
      .split(/[:.\-_]|(?=[A-Z])/)
      .pop()!
      .toLowerCase();
  const event = ctx.input.analysis.events.find(
    (e) => e.direction === 'server-to-client' && e.evidence && action(e.name).length > 3 && said.includes(action(e.name)),
  );
  const file = event?.evidence?.replace(/:\d+$/, '') ?? ctx.layout.serverEntry;
  if (!file) return null;
  const windowMs = Math.round(1000 / perSecond);
  const step: StepDraft = {
    title: `Coalesce broadcasts to ${fmt(perSecond)} per second per channel`,
    ourServer: true,
    files: [
      {
        path: file,
        action: 'change',
        why: event
          ? `${code(event.name)} (line ${event.evidence!.slice(file.length + 1)}): mark the channel dirty on each change and send one ${code(event.name)} with the latest state every ${fmt(windowMs)} ms while it is dirty`
          : `send the latest state once every ${fmt(windowMs)} ms per channel instead of once per change`,
        ...(event ? { lines: [event.evidence!.slice(file.length + 1)] } : {}),
      },
    ],
    detailMd: `The context caps the rate the UI needs (${quoteOf(cap)}): a burst then costs ${fmt(perSecond)} broadcasts per second per channel, whatever the number of changes.`,
  };
  return { step, perSecond };
}
