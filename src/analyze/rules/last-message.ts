// A React client that reads its messages only through react-use-websocket's `lastJsonMessage` or
// `lastMessage`: they are React state, set once per message. Before react-use-websocket 4.0.0 the
// hook set them with a plain state update, and React 18 renders once for several updates that
// arrive before it gets to render (automatic batching), so a component or effect reading them
// sees only the last of those messages. From 4.0.0 on the hook sets them inside `flushSync`, so
// every message gets its own render and nothing is skipped: the rule applies only where the
// project's versions are known and are react-use-websocket < 4 with React >= 18 (React 17 renders
// an update made outside its event handlers at once). Its `onMessage` option is called for every
// message. Only where the options can be read (inline, or an object defined in the project) and
// set no `onMessage`, and nothing else reads the socket.
// https://github.com/robtaussig/react-use-websocket#options
// https://github.com/robtaussig/react-use-websocket/issues/200
// https://react.dev/blog/2022/03/29/react-v18#new-feature-automatic-batching
import semver from 'semver';
import type { ArgInfo } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import type { AuditContext, AuditRule, RuleHit } from './types.js';

const LATEST = ['lastJsonMessage', 'lastMessage'];
/** Options that hand each message to the app, or another way to read the socket: messages are not read through the latest-message state alone. */
const EVERY_MESSAGE = new Set(['onMessage']);
const OTHER_READERS = new Set(['getWebSocket']);

/** The options object a call passes (inline, or a constant of this module or one it imports); null when it cannot be read. */
function optionsOf(ctx: AuditContext, file: string, facts: FileFacts, arg: ArgInfo | undefined): ArgInfo | 'none' | null {
  if (!arg) return 'none';
  if (arg.kind === 'object') return arg;
  if (arg.kind !== 'ident' || !arg.path) return null;
  const local = facts.vars.find((v) => v.name === arg.path);
  if (local) return local.arg.kind === 'object' ? local.arg : null;
  const imp = facts.imports.find((i) => i.locals.some((l) => l.local === arg.path));
  if (!imp) return null;
  const name = imp.locals.find((l) => l.local === arg.path)!.imported;
  const target = ctx.resolve?.(file, imp.source) ?? null;
  const v = target ? ctx.modules?.get(target)?.vars.find((x) => x.name === name) : undefined;
  return v?.arg.kind === 'object' ? v.arg : null;
}

/** The version a project has of a package: installed, else the lowest its declared range allows; null when unknown. */
function knownVersion(version: string | null | undefined, declared?: string | null): string | null {
  const exact = version ? semver.valid(semver.coerce(version)) : null;
  if (exact) return exact;
  return declared && semver.validRange(declared) ? (semver.minVersion(declared)?.version ?? null) : null;
}

/**
 * Whether the project's versions batch the hook's state updates: react-use-websocket below 4.0.0
 * (4.0.0 sets the latest message inside `flushSync`) and React 18 or later. False when either
 * version is unknown: the finding is only stated where it is true.
 */
function batchesMessages(ctx: AuditContext): boolean {
  const hook = ctx.stack.libraries.filter((l) => l.name === 'react-use-websocket').map((l) => knownVersion(l.version, l.declared));
  if (hook.length === 0 || hook.some((v) => v === null || semver.gte(v, '4.0.0'))) return false;
  const react = [
    ...ctx.stack.frameworks.filter((f) => f.name === 'react').map((f) => knownVersion(f.version)),
    ...ctx.stack.libraries.filter((l) => l.name === 'react').map((l) => knownVersion(l.version, l.declared)),
  ];
  return react.length > 0 && react.every((v) => v !== null && semver.gte(v, '18.0.0'));
}

function latestOnlyHits(ctx: AuditContext): RuleHit[] {
  if (!batchesMessages(ctx)) return [];
  return ctx.analyses.flatMap((a) => {
    const facts = a.ctx.facts;
    const hook = new Set(facts.imports.filter((i) => i.source === 'react-use-websocket').flatMap((i) => i.locals.map((l) => l.local)));
    if (hook.size === 0) return [];
    return a.entries.flatMap((e) => {
      const call = e.call;
      if (e.side !== 'client' || !call || !hook.has(call.path)) return [];
      const pick = (facts.picks ?? []).find((p) => p.callee === call.path && p.line === call.line);
      const read = pick?.keys.find((k) => LATEST.includes(k.key));
      if (!pick || !read || pick.keys.some((k) => OTHER_READERS.has(k.key))) return [];
      const options = optionsOf(ctx, a.file, facts, call.args[1]);
      if (options === null) return [];
      if (options !== 'none' && Object.keys(options.props ?? {}).some((k) => EVERY_MESSAGE.has(k))) return [];
      return [
        {
          evidence: `${a.file}:${call.line}`,
          message: `Messages are read only through \`${read.key}\` of \`${call.path}\`, and its options set no \`onMessage\`: \`${read.key}\` is React state, and messages that arrive before React renders again replace each other, so only the last of them is seen and the ones before it are lost (the faster the stream, the more)`,
        },
      ];
    });
  });
}

export const LAST_MESSAGE_RULES: readonly AuditRule[] = [
  {
    id: 'latest-message-only',
    severity: 'medium',
    title: 'Messages read only through the latest-message state',
    why: "react-use-websocket before 4.0.0 keeps the latest message as React state set by a plain update; React 18 renders once for several updates that arrive before it renders (automatic batching), so code that reads `lastJsonMessage` (in a render or an effect) skips every message but the last of each batch. The hook's `onMessage` option is called for every message; 4.0.0 and later set the state inside `flushSync`, one render per message.",
    fix: 'Pass `onMessage` in the options and apply every message there: `dispatch` it to a reducer (React queues every action), or collect it in a ref and render once per animation frame; keep `lastJsonMessage` only to show the newest value. Or upgrade react-use-websocket to 4.x, which renders once per message.',
    source: 'https://github.com/robtaussig/react-use-websocket/issues/200',
    detect: latestOnlyHits,
  },
];
