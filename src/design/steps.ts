// Implementation steps in order, each naming files of THIS project: its real entry files,
// the files the audit flagged, its manifest, and new files placed in its own layout. Then
// the race conditions and edge cases of the chosen design.
import { movedChecksMd } from './access.js';
import { toolRouteGaps } from './tool-routes.js';
import { protocolTraits, roomPerConnection } from './profiles/protocol.js';
import { runsOwnFleet } from './profiles/fleet.js';
import type { DesignCtx } from './context.js';
import { dirOf, join, noSignInFound, streamPath } from './context.js';
import { streamResumeOf } from './stream-resume.js';
import { sharedSecretAt } from './sites.js';
import type { EdgeCase, Step, StepFile } from './types.js';
import type { AuthKind } from '../types.js';
import { clientFile, managedProvider, providerSteps, type ManagedProvider, type ScenarioModule, type StepDraft } from './scenarios/kit.js';
import { managedProviderOf } from './transport.js';
import { PINNING_FINDINGS, pinningFix } from './pinning-step.js';
import { coalesceStep, factSteps, findingsStep, protocolModule, protocolNamesIn, sharedProtocolPackage } from './step-facts.js';
import { seqless, stateVectors } from './scenarios/index.js';
import { authMd, code, fmt, list, cmp, snake, text } from './md.js';
import { existingFor } from './scenarios/roles.js';
import { clientJoinSite } from './scenarios/state-sync.js';
import { connectionBucket, hasExistingOriginCheck, hasExistingPayloadCap, payloadCap, projectCapMd } from './security.js';
import {
  attemptLimitOf,
  BACKOFF,
  keptOwnReconnect,
  libraryReconnect,
  keptServerPing,
  policyKind,
  reconnectClauseMd,
  reconnectPolicy,
  reconnectsItself,
  reconnectSummaryMd,
  silenceLimit,
  slowFirstAttempt,
  silentClientTimer,
  SSE_KEEPALIVE_MS,
} from './connection.js';
import { fixedDelayOf, projectDelayOf } from './connection-providers.js';
import { reconnectSettings } from './profiles/ops.js';
import { DRAIN_SECONDS, ecsBehindAlb } from './architecture.js';
import { defaultRateMd, formatBytes } from './capacity.js';
import { profileOf } from './profiles/index.js';
import { declaredRedis } from './profiles/stores.js';
import { clientsSend, meetsMd, quoteOf, rulesOut } from './constraints.js';
import { DOCUMENT_SERVERS, frameworkSteps, LIBRARY_PACKAGES_MD, STORM, stepTexts, UPGRADES } from './profiles/steps.js';
import type { PolicyKind } from './connection-providers.js';
import { streamSdk } from './profiles/ai-streams.js';
import { opsProfile } from './profiles/ops.js';
import { opsKind } from './ops.js';
import { clientActions, postRoutes, proposedReplayRoute, routeMd, type PostRoutes } from './routes.js';
import { causeTargets } from './sections.js';
import { TYPING_THROTTLE_MS } from './defaults.js';
import { clientStopCode } from './model-facts.js';
import { keystrokeMd, keystrokeSend, typingStart } from './problems.js';
import { traitsOf } from './profiles/transports.js';

function manifestFor(ctx: DesignCtx, file: string | null): string {
  const pkgs = [...ctx.input.analysis.project.packages].sort((a, b) => b.dir.length - a.dir.length);
  const hit = pkgs.find((p) => file !== null && (p.dir === '' || file.startsWith(`${p.dir}/`)));
  return hit?.manifest ?? pkgs.find((p) => p.dir === '')?.manifest ?? 'package.json';
}

function testDir(ctx: DesignCtx): string {
  const files = ctx.input.analysis.project.sourceFiles;
  const existing = files.find((f) => /(^|\/)(test|tests|__tests__)\//.test(f));
  if (existing) {
    const m = /^(.*?(?:^|\/)(?:test|tests|__tests__))\//.exec(existing);
    if (m?.[1]) return `${m[1]}/realtime`;
  }
  // In a monorepo the tests live in the server package; otherwise at the root.
  const pkg = ctx.input.analysis.project.packages.find((p) => p.dir !== '' && ctx.layout.serverEntry?.startsWith(`${p.dir}/`));
  return join(pkg?.dir ?? '', 'test/realtime');
}

function attachWhy(ctx: DesignCtx): string {
  if (ctx.layout.framework === 'next')
    return ctx.input.analysis.stack.entrypoints.some((e) => e.kind === 'sse-endpoint' && e.file === ctx.layout.serverEntry)
      ? 'keep the streaming response this route already returns; add what the steps below need next to it'
      : 'return a streaming `Response` (`text/event-stream` from a `ReadableStream`) instead of JSON';
  // On a platform that runs the sockets (PartyKit, Workers) there is no path or port of ours to keep.
  if (ctx.hasRealtime)
    return profileOf(ctx).localServerMd
      ? `replace the inline ${stepTexts(ctx).setupNoun} setup with the module above${movedChecksMd(ctx)}`
      : `replace the inline ${stepTexts(ctx).setupNoun} setup with the module above, keeping the same path and port${movedChecksMd(ctx)}`;
  if (ctx.layout.framework === 'fastify') return 'register the WebSocket plugin and the real-time routes';
  return attachToListenMd(ctx);
}

/** Express's `app.listen()` creates the HTTP server and returns it: a code base that drops that value has no server object to attach to yet. */
function attachToListenMd(ctx: DesignCtx): string {
  return ctx.layout.framework === 'express'
    ? `attach the real-time server to the existing HTTP server (where it is Express's ${code('app.listen(…)')}, keep the server that call returns: ${code('const server = app.listen(…)')})`
    : 'attach the real-time server to the existing HTTP server';
}

/** The client is plain JavaScript next to TypeScript server code (a static folder served as-is): no .ts module there. */
function plainJs(ctx: DesignCtx): boolean {
  return ctx.layout.ext === 'ts' && ctx.layout.clientExt === 'js';
}

/** What the SSE helper module holds: EventSource streams get `retry:` and named pings, fetch-read answers get comments and an explicit resume GET. */
function sseHelpersWhy(ctx: DesignCtx, posts: PostRoutes | null): string {
  const every = `every ${fmt(SSE_KEEPALIVE_MS / 1000)} s`;
  // On an EventSource wire, a body cap only where the plan names a POST route (the code's or a proposed one).
  const cap = !profileOf(ctx).receiveOnly
    ? `, body cap ${formatBytes(payloadCap(ctx))} on POSTs`
    : posts
      ? `, body cap ${formatBytes(payloadCap(ctx))} on ${posts.md}`
      : '';
  if (policyKind(ctx) !== 'sse-retry') {
    return `SSE helpers: headers, ${code(': keep-alive')} comment ${every} (the fetch reader sees comment lines), the chunk index as \`id:\` on every event, a per-request chunk buffer for the resume ${code(`GET ${streamPath(ctx.layout)}?requestId=…&fromIndex=…`)}${cap}`;
  }
  // What the stream already does (stream-resume.ts) is kept or changed in place, never added a second time.
  const r = streamResumeOf(ctx.input.analysis);
  const ping = r.keepAliveComment
    ? `the existing ${code(r.keepAliveComment.text)} comment (${code(r.keepAliveComment.evidence)}) written as ${code('event: sys:ping')} instead if the client watchdog is added (EventSource listeners never see comment lines)`
    : `${code('event: sys:ping')} ${every} (a named event: EventSource listeners never see comment lines)`;
  const ids = r.ids ? `the existing \`id:\` on every event (${code(r.ids)})` : '`id:` on every event';
  return `SSE helpers: headers, randomized \`retry:\`, ${ping}, ${ids}${cap}`;
}

export function buildSteps(ctx: DesignCtx, modules: ScenarioModule[]): Step[] {
  const steps = draftSteps(ctx, modules);
  // A tool route the page requests and the server lacks: its own step, right after the findings.
  const tools = toolRouteSteps(ctx);
  if (tools.length > 0) steps.splice(steps[0]?.kind === 'findings' ? 1 : 0, 0, ...tools);
  return linkCauses(steps, causeTargets(ctx));
}

function toolRouteSteps(ctx: DesignCtx): Step[] {
  return toolRouteGaps(ctx.input.analysis).flatMap((g) =>
    g.serverFile
      ? [
          {
            n: 0,
            title: 'Add the tool route the page calls',
            files: [
              {
                path: g.serverFile,
                action: 'change' as const,
                why: `add ${g.derivedAt ? `${list(g.routes.map(code))} (derived: the page requests ${code(g.route)} at ${code(g.evidence)} with the tool call's name as its last part, passed at ${code(g.derivedAt)})` : `${code(g.route)} (requested at ${code(g.evidence)})`} for ${list(g.tools.map((t) => code(t.name)))}, behind the token route's caller check and a per-caller limit (Security, Tool route)`,
              },
            ],
            detailMd: `The page requests it and no route of the server serves it; the project has no handler for it, so what it reads and returns is yours to write: this step names only what it must check.${
              g.tools.some((t) => (t.params?.length ?? 0) > 0)
                ? ` The page sends the tool call's arguments (${list(g.tools.flatMap((t) => t.params ?? []).map(code))}) in the request body (${code(g.evidence)}): give the route a JSON body parser with a small size limit, unless one already runs before it, or it reads no arguments and the lookup fails as it does today.`
                : ''
            } Where the route fails or refuses, the page still answers the tool call, with an error result, so the model never waits for an answer that does not come. A test calls it without the caller's credential (refused) and with it (answered).`,
          },
        ]
      : [],
  );
}

/**
 * Every cause Current state diagnoses in the code is changed by a step: where a step already
 * changes its file, the fix is added to that file's line (a finding the step already names is
 * linked as it is); the others get a step of their own, right after the findings step, before
 * anything is built on that code.
 */
export function linkCauses(steps: Step[], targets: ReturnType<typeof causeTargets>): Step[] {
  const out = steps.map((s) => ({ ...s, files: s.files.map((f) => ({ ...f })) }));
  const own = new Map<string, StepFile>();
  // The causes each file takes, in order: written into its why once all are known, so one fix at
  // several lines (three JSON.parse sites) is named once with every line.
  const added = new Map<StepFile, { line: string; forMd: string; fixMd: string }[]>();
  for (const t of targets) {
    const changes = out.flatMap((s) => s.files).filter((f) => f.path === t.path && f.action === 'change');
    // A finding's fix is in code where the findings step names it; one it leaves out (a library fixes it) stays out.
    if (t.finding) continue;
    // A step that already changes that line (a typing throttle, state moved out of memory), in any step, is the one linked to it.
    if (changes.some((f) => f.lines?.includes(t.line))) continue;
    let file = changes[0] ?? own.get(t.path);
    if (!file) own.set(t.path, (file = { path: t.path, action: 'change', why: '', lines: [] }));
    // The same place arriving again (two diagnoses naming one line) is linked once.
    if (file.lines?.includes(t.line)) continue;
    file.lines = [...(file.lines ?? []), t.line];
    added.set(file, [...(added.get(file) ?? []), t]);
  }
  for (const [file, items] of added) {
    const groups: { lines: string[]; forMd: string; fixMd: string }[] = [];
    for (const i of items) {
      const g = groups.find((x) => x.forMd === i.forMd && x.fixMd === i.fixMd);
      if (g) g.lines.push(i.line);
      else groups.push({ lines: [i.line], forMd: i.forMd, fixMd: i.fixMd });
    }
    const whys = groups.map((g) => `${g.lines.length > 1 ? `lines ${list(g.lines)}` : `line ${g.lines[0]}`} (${g.forMd}): ${g.fixMd}`);
    file.why = [file.why, ...whys].filter(Boolean).join('; ');
  }
  if (own.size > 0) {
    const at = out[0]?.kind === 'findings' ? 1 : 0;
    out.splice(at, 0, {
      n: 0,
      title: 'Fix the causes Current state names',
      kind: 'causes',
      files: [...own.values()],
      detailMd: 'Current state names these places in the code as causes; each is changed before anything is built on it.',
    });
  }
  return out.map((s, i) => ({ ...s, n: i + 1 }));
}

/**
 * Where the plan refuses a bad credential with the close code the client's own loop stops on, that
 * loop must present a fresh credential on every attempt: one that resends the credential it was first
 * given stops for good, silently, once that credential expires or (a single-use ticket) is spent.
 */
function stopAuthStepMd(ctx: DesignCtx): string {
  const stop = clientStopCode(ctx.input.analysis);
  return stop && traitsOf(ctx).authStopMd
    ? `; build the credential afresh for every attempt (a new ticket fetched, or the current token read, right before it), since a refused credential now closes with ${stop.codeMd}, the code this loop stops on (${stop.atMd}): a loop that resends the credential it was first given would stop for good once that one expires`
    : '';
}

function draftSteps(ctx: DesignCtx, modules: ScenarioModule[]): Step[] {
  const x = ctx.layout.ext;
  const rt = ctx.layout.realtimeDir;
  const drafts: StepDraft[] = [];
  // The POST routes the plan names (the code's write routes, the client actions it proposes) and
  // the replay route the polling fallback reads, proposed because the code has none.
  const posts = postRoutes(
    ctx,
    clientActions([...modules.flatMap((m) => m.events(ctx)), ...ctx.input.analysis.events.filter((e) => e.protocol === undefined)]),
  );
  const replay = opsProfile(opsKind(ctx)).pollsReplay ? proposedReplayRoute(ctx) : null;
  const replayWhy = replay
    ? `add the proposed replay route ${code(replay.route)} that the polling fallback reads (Error handling and fallbacks): it answers the events after that id as JSON, from where State synchronization says they are kept, behind the same authentication as the stream and only the events the stream would send this client (who the client is comes from that credential, never from a query parameter)`
    : '';
  // Writes a cookie, or nothing the code shows, authenticates: an Authorization header needs no Origin check.
  const originChecked = posts
    ? [
        ...posts.existing.filter((r) => !r.guardHeader).map(routeMd),
        ...(posts.proposed.length > 0 ? [`the proposed POST routes for ${list(posts.proposed.map((a) => code(a)))}`] : []),
      ]
    : [];
  const sdk = streamSdk(ctx);
  // A library that owns the whole stream (protocol, server framing, client hook) keeps it: only its gaps become steps.
  const sdkOwned = sdk !== null && modules.every((m) => m.id === 'ai-streaming');
  const fixedBySdk = (f: { id: string }) => sdkOwned && sdk.fixes.includes(f.id);
  // `client-only` describes the repository (the server is elsewhere); there is nothing in the code to fix for it.
  const findings = ctx.input.analysis.findings
    .filter((f) => f.id !== 'client-only' && !fixedBySdk(f))
    .sort((a, b) => cmp(a.evidence, b.evidence) || cmp(a.id, b.id));
  // A finding fixed away from its line (stickiness at the load balancer) gets a step of its own, named at the line.
  const pinning = pinningFix(ctx, findings);
  const elsewhere = new Map(pinning ? [...PINNING_FINDINGS].map((id) => [id, pinning.noteMd] as const) : []);
  if (findings.length > 0) drafts.push(findingsStep(findings, elsewhere));
  if (pinning?.step) {
    const { inlineMd: _, ...step } = pinning.step as StepDraft & { inlineMd?: string };
    drafts.push(step);
  }
  drafts.push(...factSteps(ctx));
  const coalesce = coalesceStep(ctx);
  if (coalesce) drafts.push(coalesce);
  if (sdkOwned) {
    for (const m of modules) drafts.push(...m.steps(ctx));
    const route = sdk.server?.file;
    if (route)
      drafts.push({
        title: 'Tests',
        files: [
          {
            path: join(dirOf(route), `route.test.${x}`),
            action: 'create',
            why: modules
              .flatMap((m) => m.tests(ctx))
              .slice(0, 2)
              .join('; '),
          },
        ],
        detailMd: `The model is a mock from ${code(`${sdk.library}/test`)}: no test reaches the provider or spends tokens.`,
      });
    return drafts.map(({ ourServer: _server, ...d }, i) => ({ n: i + 1, ...d }));
  }
  const use = ctx.libraryUse;
  const upgrade = use ? UPGRADES.find((u) => u.library === use.name && u.from.test(use.version ?? use.declared ?? '')) : undefined;
  if (upgrade) {
    drafts.push({
      title: upgrade.title,
      files: [
        { path: manifestFor(ctx, ctx.layout.serverEntry), action: 'change', why: upgrade.packagesMd },
        ...(ctx.layout.serverEntry ? [{ path: ctx.layout.serverEntry, action: 'change' as const, why: upgrade.serverMd }] : []),
      ],
      detailMd: upgrade.detailMd,
    });
  }
  if (ctx.providerDirect) {
    for (const m of modules) drafts.push(...m.steps(ctx));
    drafts.push({
      title: 'Metrics',
      files: [{ path: `${rt}/metrics.${x}`, action: 'create', why: 'token issuance, session and tool-approval metrics' }],
      detailMd: noSignInFound(ctx)
        ? "Client-side session events are reported in batches to an endpoint with the token route's Origin check and per-IP limit (the project has no sign-in to authenticate them with)."
        : 'Client-side session events are reported in batches to an endpoint behind the same authentication as the token route.',
    });
    drafts.push({
      title: 'Tests',
      files: [
        { path: `${testDir(ctx)}/voice-token.test.${x}`, action: 'create', why: 'token route never returns the API key' },
        { path: `${testDir(ctx)}/action-executor.test.${x}`, action: 'create', why: 'nothing applies before approval' },
      ],
      detailMd: 'The provider is stubbed on 127.0.0.1; no test reaches the real API.',
    });
    return drafts.map((d, i) => ({ n: i + 1, ...d }));
  }
  const managed = managedOnly(ctx);
  if (managed) return managedSteps(ctx, modules, managed, drafts).map((d, i) => ({ n: i + 1, ...d }));
  // A Yjs-only plan: WebsocketProvider is the client connection manager and @y/websocket-server the handler.
  const yOnly = stateVectors(ctx) && ctx.library !== null && DOCUMENT_SERVERS.has(ctx.library);
  const own = protocolModule(ctx);
  // A library protocol that runs the socket (graphql-ws) is the envelope, the handler registry and the client's connection manager: the GraphQL schema types its events.
  const operations = protocolTraits(ctx).operations;
  // Event names kept in more than one module (the server's and the client's own copies): each one changes, and a test keeps them equal.
  const copies = [
    ...new Set((ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'protocol-names').map((f) => f.evidence.replace(/:\d+$/, ''))),
  ].sort(cmp);
  if (!operations && copies.length > 1)
    drafts.push({
      title: 'New events in the existing protocol modules',
      files: copies.map((path) => ({ path, action: 'change' as const, why: 'the new event names of the catalog next to the existing ones' })),
      detailMd: `The project keeps its event names in ${fmt(copies.length)} modules (${list(copies.map((f) => code(f)))}), one per side: add each new name to every one of them and a test that fails when they differ, or move them into one module both sides import.${sharedSchemasMd(ctx)}`,
    });
  else if (!operations)
    drafts.push({
      title: own ? 'New events in the existing protocol module' : 'Protocol types and schemas',
      files: [
        own
          ? { path: own, action: 'change', why: 'the new events of the catalog next to the existing ones, and one schema per inbound event' }
          : {
              path: `${rt}/protocol.${x}`,
              action: 'create',
              why: yOnly
                ? "the y-protocols message types from the Event protocol section, for the server's type-byte and size check and for tests (binary frames: no JSON schemas)"
                : 'the catalog types from the Event protocol section and one schema per inbound event',
            },
      ],
      detailMd: own
        ? `${code(own)} is the project's own protocol module${ownNamesMd(ctx, own)}: it stays the one source of event names, for the server, the clients and the tests.${sharedSchemasMd(ctx)}${meetsMd(ctx, 'eventNames', 'must')}`
        : `Imported by ${list(
            [ctx.layout.serverEntry, ctx.layout.clientEntry]
              .filter((f): f is string => f !== null)
              .map((f) => code(f))
              .concat('the tests'),
          )}; the single source of event names.${meetsMd(ctx, 'eventNames', 'must')}`,
    });
  const entry = ctx.layout.serverEntry;
  // A framework that creates the socket server (Nest's IoAdapter) takes its options on the existing gateway.
  const framework = entry && ctx.hasRealtime ? frameworkSteps(ctx) : null;
  if (framework && entry)
    drafts.push({
      title: 'Harden the existing gateway',
      ourServer: true,
      files: [
        {
          path: entry,
          action: 'change',
          why: framework.gatewayWhy(
            hasExistingPayloadCap(ctx) ? `the existing cap kept` : (projectCapMd(ctx) ?? `payload cap ${formatBytes(payloadCap(ctx))}`),
          ),
        },
      ],
      detailMd: framework.gatewayDetailMd,
    });
  else if (!operations || !entry || !ctx.hasRealtime)
    drafts.push({
      title: entry && ctx.hasRealtime ? 'Harden the existing server setup' : 'Real-time server bootstrap',
      ourServer: true,
      files: [
        {
          path: `${rt}/server.${x}`,
          action: 'create',
          why: stepTexts(ctx).sseHelpers
            ? sseHelpersWhy(ctx, posts)
            : yOnly
              ? `upgrade routing for the document endpoint, ${code('maxPayload')} ${formatBytes(payloadCap(ctx))}; ${code('setupWSConnection')} runs the ping and the sync protocol`
              : `${ctx.library ? code(ctx.library) : 'the platform API'} setup: ${hasExistingPayloadCap(ctx) ? `the existing ${code('maxPayload')} kept` : (projectCapMd(ctx) ?? `payload cap ${formatBytes(payloadCap(ctx))}`)}, ${keptServerPing(ctx) ? `the existing ping kept (${code(keptServerPing(ctx)!.evidence)}, every ${fmt(keptServerPing(ctx)!.intervalMs)} ms; Connection management)` : 'heartbeat'}, handler registry`,
        },
        ...(entry ? [{ path: entry, action: 'change' as const, why: `${attachWhy(ctx)}${replay && replay.file === entry ? `; ${replayWhy}` : ''}` }] : []),
        ...(replay?.file && replay.file !== entry ? [{ path: replay.file, action: 'change' as const, why: replayWhy }] : []),
        ...(ctx.library && !ctx.libraryUse
          ? [{ path: manifestFor(ctx, entry), action: 'change' as const, why: LIBRARY_PACKAGES_MD[ctx.library] ?? `add ${code(ctx.library)}` }]
          : []),
      ],
      detailMd:
        ctx.layout.framework === 'next'
          ? "Route handlers stream directly (`export const dynamic = 'force-dynamic'`, Node.js runtime); no separate server process."
          : entry
            ? `The existing entry in ${code(entry)} stays where it is; the real-time layer plugs into it.`
            : 'No server entry was found: create one next to the existing sources (assumption).',
    });
  // Auth the code already has (file:line) is changed in place, not rewritten in a new module.
  const auth = serverAuth(ctx);
  const authFile = auth?.evidence?.replace(/:\d+$/, '');
  // The Typing storms mitigation throttles on the client: a step where the client's own typing send is, shipped before a server bucket limits it.
  const throttle = typingThrottleDraft(ctx);
  if (throttle) drafts.push(throttle);
  // Viewers the context keeps anonymous get rate limits per address and no login of ours.
  const anonymous = !auth && !clientsSend(ctx) && rulesOut(ctx, 'login');
  if (anonymous)
    drafts.push({
      title: 'Rate limits for anonymous viewers',
      ourServer: true,
      files: [
        {
          path: `${rt}/limits.${x}`,
          action: 'create',
          why: `admission of new streams per instance (not per address: anonymous viewers share NAT addresses)${originChecked.length > 0 ? `; Origin allow-list on ${list(originChecked)}` : ''}`,
        },
      ],
      detailMd: `No login for viewers: the context rules it out (${quoteOf(anonymous)}); see Security for the numbers.`,
    });
  else
    drafts.push({
      // An Origin setting the audit accepts (a server's `cors.origin`) may not cover the upgrade
      // itself: the step keeps what exists and leaves what the check needs to Security.
      title: auth
        ? hasExistingOriginCheck(ctx)
          ? 'Rate limits next to the existing auth'
          : 'Origin check and rate limits next to the existing auth'
        : 'Handshake auth, Origin check, rate limits',
      ourServer: true,
      files: [
        authFile
          ? {
              path: authFile,
              action: 'change',
              why: `the existing auth (${authMd(auth!.kind)}) is at line ${auth!.evidence!.slice(authFile.length + 1)}: ${hasExistingOriginCheck(ctx) ? 'keep it (Security says what changes in the auth and whether the Origin setting covers the upgrade)' : 'add the Origin allow-list next to it (Security says what changes in the auth itself)'}`,
              lines: [auth!.evidence!.slice(authFile.length + 1)],
            }
          : {
              path: `${rt}/auth.${x}`,
              action: 'create',
              why:
                (profileOf(ctx).receiveOnly ? stepTexts(ctx).authWhyPosts?.(posts?.md ?? null) : undefined) ??
                protocolTraits(ctx).served?.authWhy ??
                stepTexts(ctx).authWhy,
            },
        {
          path: `${rt}/limits.${x}`,
          action: 'create',
          // After the upgrade a room's object receives every message, not the entry that checked auth: the buckets live there.
          why: roomPerConnection(ctx)
            ? `token buckets per connection, called from the room object's message handler (messages reach the room's object, never the entry that checked the upgrade), ${bucketHomeMd(ctx)}; a per-user limit across rooms needs a counter all rooms share`
            : sharedSecretAt(ctx)
              ? 'token buckets per connection (the shared secret names no user)'
              : profileOf(ctx).receiveOnly
                ? // Nothing arrives on an EventSource stream: stream opens are limited, and the POST routes the plan names.
                  `stream opens per client address${posts ? `; per user on ${posts.md}` : ''}`
                : 'token buckets per connection and per user',
        },
      ],
      detailMd: roomPerConnection(ctx)
        ? "Auth runs on the upgrade; the message limits run in the room's object. See Security for the numbers."
        : 'Runs before any handler; see Security for the numbers.',
    });
  for (const m of modules) drafts.push(...m.steps(ctx));
  const redis = declaredRedis(ctx);
  const sharedReader = (ctx.input.analysis.modelFacts ?? []).some((f) => f.kind === 'per-connection-client');
  if (!yOnly && !sharedReader && ctx.capacity.result.pubsubPublishedPerSecond > 0 && !ctx.input.analysis.stack.scaling.length) {
    const boot = framework
      ? ctx.input.analysis.project.sourceFiles
          .filter((f) => framework.bootstrap.test(f) && manifestFor(ctx, f) === manifestFor(ctx, entry))
          .sort((a, b) => a.length - b.length || cmp(a, b))[0]
      : undefined;
    if (framework)
      drafts.push({
        title: 'Cross-node adapter',
        ourServer: true,
        files: [
          { path: join(boot ? dirOf(boot) : rt, `${framework.adapterFile}.${x}`), action: 'create', why: framework.adapterWhy },
          ...(boot ? [{ path: boot, action: 'change' as const, why: framework.bootstrapWhy }] : []),
          ...(redis
            ? []
            : [{ path: manifestFor(ctx, entry), action: 'change' as const, why: `add ${list(stepTexts(ctx).adapterPackages.map((p) => code(p)))}` }]),
        ],
        detailMd: `${redis ? `On the Redis the project already uses (${code(redis.evidence)}). ` : ''}${boot ? '' : `${framework.bootstrapMissingMd} `}Needed because the plan runs more than one instance; see Performance and scaling.`,
      });
    else
      drafts.push({
        title: 'Cross-node adapter',
        ourServer: true,
        files: [
          {
            path: `${rt}/adapter.${x}`,
            action: 'create',
            why: stepTexts(ctx).adapterWhy,
          },
          ...(redis
            ? []
            : [{ path: manifestFor(ctx, entry), action: 'change' as const, why: `add ${list(stepTexts(ctx).adapterPackages.map((p) => code(p)))}` }]),
        ],
        detailMd: `${redis ? `On the Redis the project already uses (${code(redis.evidence)}). ` : ''}Needed because the plan runs more than one instance; see Performance and scaling.`,
      });
  }
  const clientEntry = ctx.layout.clientEntry;
  const kept = keptClientSettings(ctx);
  // The project's own retry loop is kept where it is (Connection management says so): changed in place, not moved.
  const ownLoop = !kept && !yOnly && !operations ? keptOwnReconnect(ctx) : null;
  if (kept) drafts.push(kept);
  else if (ownLoop)
    drafts.push({
      title: 'Client connection: the existing reconnect kept',
      files: [
        {
          path: ownLoop.file,
          action: 'change',
          why: `keep its reconnect loop (line ${ownLoop.evidence.split(':').pop()}) ${fixedDelayOf(ctx) ? `and replace its fixed ${fmt(fixedDelayOf(ctx)!.delay.baseMs)} ms delay with Connection management's policy (${reconnectSummaryMd(ctx)}), computed with ${code('reconnectDelay')}` : projectDelayOf(ctx) ? (slowFirstAttempt(ctx) ? 'and its delay, with the shorter first delay Connection management gives so that the recovery target holds' : "and its delay, which Connection management states and compares with rt-plan's policy") : `and check it against Connection management's policy (${reconnectSummaryMd(ctx)})`}${ownLoop.jitter || fixedDelayOf(ctx) ? '' : `; it has no jitter: compute its delay with ${code('reconnectDelay')} as Connection management says`}; ${resendMd(ctx, ownLoop.file)}; typed emit/on${stopAuthStepMd(ctx)}`,
          lines: [ownLoop.evidence.split(':').pop()!],
        },
      ],
      detailMd: `The client already reconnects (${code(ownLoop.evidence)}${ownLoop.backoff || ownLoop.jitter ? `, with ${[ownLoop.backoff ? 'backoff' : '', ownLoop.jitter ? 'jitter' : ''].filter(Boolean).join(' and ')}` : ''}): that code stays where it is and is tuned, not moved onto a new connection manager.`,
    });
  else if (!yOnly && !operations)
    drafts.push({
      title: 'Client connection manager',
      files: [
        {
          path: clientFile(ctx, 'connection'),
          action: 'create',
          why: reconnectsItself(ctx)
            ? `connect (${reconnectClauseMd(ctx)}: no retry loop of ours), ${resendMd(ctx, clientFile(ctx, 'connection'), false)}, typed emit/on`
            : `connect, ${reconnectSummaryMd(ctx)}, resume, typed emit/on`,
        },
        ...(clientEntry
          ? [
              {
                path: clientEntry,
                action: 'change' as const,
                why: ctx.hasRealtime ? 'use the connection manager instead of its own connection code' : 'subscribe through the connection manager',
              },
            ]
          : []),
      ],
      detailMd: clientEntry
        ? `${ctx.hasRealtime ? `Existing connection code in ${code(clientEntry)} moves onto it.` : `${code(clientEntry)} is where the UI first needs live data.`}${plainJs(ctx) ? ` ${code(clientEntry)} is plain JavaScript in a TypeScript project, so the new module is plain JavaScript too, loaded the same way.` : ''}`
        : 'No client code was found; the path follows the assumed client layout.',
    });
  const td = testDir(ctx);
  // One step: metrics and tests land together, so every new handler ships measured and tested.
  drafts.push({
    title: 'Metrics and tests',
    files: [
      { path: `${rt}/metrics.${x}`, action: 'create', why: `the ${code(`${snake(ctx.input.analysis.project.name || 'app')}_*`)} metrics of Observability` },
      {
        path: `${td}/server.integration.test.${x}`,
        action: 'create',
        why: `${handled(ctx, modules)} against ${profileOf(ctx).localServerMd ?? 'a real server on 127.0.0.1'}`,
      },
      {
        path: yOnly ? 'load/yjs-editors.mjs' : stepTexts(ctx).loadFile,
        action: 'create',
        why: `the sketch in Testing strategy at ${fmt(ctx.capacity.values.connections)} connections and ${fmt(ctx.capacity.values.msgRate)} msg/s${defaultRateMd(ctx.capacity) ? ` (${defaultRateMd(ctx.capacity)!.short})` : ''}, run against staging before enabling the feature for everyone`,
      },
    ],
    detailMd: yOnly
      ? 'Counters increment in the upgrade handler, the message-type check and the persistence hooks: the document server has no handler registry of ours.'
      : entry
        ? `Counters increment ${handlersAtMd(ctx, entry)}; ${profileOf(ctx).localServerMd ? `the integration test runs against ${profileOf(ctx).localServerMd}` : handlersElsewhere(ctx, entry) ? `the integration test starts the server set up in ${code(entry)} on 127.0.0.1` : 'the integration test starts that entry on 127.0.0.1'}.`
        : 'Counters increment in the handler registry, so every event is measured without per-handler code.',
  });
  return existingRoleFiles(ctx, serverSideOnly(ctx, clientSideOnly(ctx, drafts, rt)), rt).map(({ ourServer: _server, ...d }, i) => ({ n: i + 1, ...d }));
}

/**
 * Where the server's handlers are: the entry when it holds them all (or the analysis found none
 * elsewhere), else the files that do (`server.js` hands the socket to `socket-handlers/*.js`).
 */
function handlersElsewhere(ctx: DesignCtx, entry: string): boolean {
  const files = ctx.input.analysis.handlerFiles ?? [];
  return files.length > 0 && !(files.length === 1 && files[0] === entry);
}

function handlersAtMd(ctx: DesignCtx, entry: string): string {
  const files = ctx.input.analysis.handlerFiles ?? [];
  if (!handlersElsewhere(ctx, entry)) return `where ${code(entry)} handles each event`;
  const shown = files.slice(0, 3).map((f) => code(f));
  const more = files.length - shown.length;
  return `where the server handles each event (${list(more > 0 ? [...shown, `${more} more`] : shown)})`;
}

/**
 * A module the plan would create under the real-time folder (`presence`) that the project already
 * has, a file the model cites (`src/presence/presence.service.ts`, named for the same role), is
 * changed, not created a second time next to it.
 */
function existingRoleFiles(ctx: DesignCtx, drafts: StepDraft[], rt: string): StepDraft[] {
  const a = ctx.input.analysis;
  const cited = [...(a.modelFacts ?? []).map((f) => f.evidence), ...a.findings.map((f) => f.evidence), ...a.events.map((e) => e.evidence ?? '')]
    .map((e) => (e ?? '').replace(/:\d+(:\d+)?$/, ''))
    .filter((f) => f !== '' && !f.includes('/client/') && !(ctx.layout.clientDir && f.startsWith(`${ctx.layout.clientDir}/`)));
  // An entry file is where the new module plugs in, never the module itself.
  const entries = new Set(a.stack.entrypoints.map((e) => e.file));
  const known = [...new Set(cited)].filter((f) => !entries.has(f));
  const stem = (f: string) => (f.split('/').pop() ?? '').split('.')[0]!.toLowerCase();
  return drafts.map((d) => ({
    ...d,
    files: d.files.map((f) => {
      if (f.action !== 'create' || !f.path.startsWith(`${rt}/`)) return f;
      const own = known.filter((k) => stem(k) === stem(f.path) && !d.files.some((x) => x.path === k));
      return own.length === 1 ? { ...f, path: own[0]!, action: 'change' as const } : f;
    }),
  }));
}

/**
 * A server whose clients are not in this repository gets no client file: a path under an assumed
 * client folder would be invented. What the clients need is in Connection management and State
 * synchronization, and Context says they live elsewhere.
 */
function serverSideOnly(ctx: DesignCtx, drafts: StepDraft[]): StepDraft[] {
  if (!ctx.layout.clientsElsewhere) return drafts;
  const clientDir = `${dirOf(clientFile(ctx, 'x'))}/`;
  return drafts.map((d) => ({ ...d, files: d.files.filter((f) => !f.path.startsWith(clientDir)) })).filter((d) => d.files.length > 0);
}

/** The inbound events a server test drives, by name (existing ones first). */
function handled(ctx: DesignCtx, modules: ScenarioModule[]): string {
  const names = [
    ...new Set([
      ...ctx.input.analysis.events.filter((e) => e.direction !== 'server-to-client').map((e) => e.name),
      ...modules
        .flatMap((m) => m.events(ctx))
        .filter((e) => e.direction === 'client-to-server')
        .map((e) => e.name),
    ]),
  ];
  if (names.length === 0 && protocolTraits(ctx).operations) return `the subscription operations over ${protocolTraits(ctx).operations!.label}`;
  return names.length > 0 ? `the handlers of ${list(names.slice(0, 3).map((n) => code(n)))}${names.length > 3 ? ' and the rest' : ''}` : 'the stream routes';
}

/**
 * A client of a server outside this repository changes only its own code: server modules, the
 * Origin check and rate limits, and load tests against that service are its owner's to decide
 * (Security and Connection management say what to ask them).
 */
function clientSideOnly(ctx: DesignCtx, drafts: StepDraft[], rt: string): StepDraft[] {
  if (profileOf(ctx).external === undefined) return drafts;
  const serverFile = (f: StepFile) => f.path.startsWith(`${rt}/`) || f.path.startsWith('load/') || /server\.integration\.test/.test(f.path);
  return drafts
    .filter((d) => !d.ourServer)
    .map((d) => ({ ...d, files: d.files.filter((f) => !serverFile(f)) }))
    .filter((d) => d.files.length > 0);
}

/** The managed provider that carries the app channel, when both kit.ts and the transport decision agree on it. */
function managedOnly(ctx: DesignCtx): ManagedProvider | null {
  const p = managedProvider(ctx.input);
  const wire = managedProviderOf(ctx.input);
  return p && wire && wire.id === p.id && wire.transport === ctx.transport ? p : null;
}

/**
 * A managed provider runs the connection tier: no server of ours, no bootstrap, no cross-node
 * adapter and no connection manager (its SDK reconnects). Scenarios contribute provider steps.
 */
/** The existing client module's change: its removal on unmount is kept where the code already has one. */
function clientEntryWhy(ctx: DesignCtx, file: string): string {
  const left = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'channel-cleanup' && f.evidence.startsWith(`${file}:`));
  return left
    ? `subscribe through the channel modules above, keeping the channel removal it already makes (${code(`${left.name}()`)} at ${code(left.evidence)})`
    : 'subscribe through the channel modules above and remove the subscription on unmount';
}

function managedSteps(ctx: DesignCtx, modules: ScenarioModule[], p: ManagedProvider, drafts: StepDraft[]): StepDraft[] {
  // The provider's own protocol carries the events (an event name and its data): no protocol
  // module of ours wraps it. Client actions reach our HTTP routes, which validate what they take.
  const own = modules.flatMap((m) => m.steps(ctx));
  const onProvider = own.some((d) => d.title.endsWith(` on ${p.label}`));
  drafts.push(...own);
  if (!onProvider)
    drafts.push(
      ...providerSteps(ctx, p, { title: 'Real-time channels', uses: `events by ${p.broadcast}, online state by ${p.presence}`, clientName: 'channels' }),
    );
  // The client's own typing sends reach the provider as they are: the throttle on each client is the brake (Typing storms).
  const throttle = typingThrottleDraft(ctx);
  if (throttle) drafts.push(throttle);
  const clientEntry = ctx.layout.clientEntry;
  // A scenario step that already changes the project's own channel code leaves no other existing code to rewire;
  // on a channel server the scenario's own step changes the client (reload only what was not recovered).
  const changesOwn = own.some((d) => d.files.some((f) => f.action === 'change'));
  const channels = protocolTraits(ctx).channels;
  if (clientEntry && ctx.hasRealtime && !changesOwn && !channels)
    drafts.push({
      title: `Existing ${p.label} code`,
      files: [{ path: clientEntry, action: 'change', why: clientEntryWhy(ctx, clientEntry) }],
      // A provider that recovers short drops itself replays what they missed; only past its window do the modules catch up.
      detailMd: p.recoveryMd
        ? `The ${p.label} SDK reconnects by itself and recovers what a short drop missed; past its recovery window the channel modules catch up as State synchronization says.`
        : `The ${p.label} SDK reconnects by itself; after a reconnect the channel modules refetch what they show, so nothing depends on messages missed while offline.`,
    });
  // The channel modules are client code: their tests sit next to them, in the client's language.
  const channelModule = clientFile(ctx, 'channels');
  if (channels && clientEntry) {
    drafts.push({
      title: 'Tests',
      files: [
        {
          path: clientEntry.replace(/\.(tsx?|jsx?)$/, '.test.$1'),
          action: 'create',
          why: `the subscription's ${code('subscribed')} handler against a stubbed ${p.label} client: ${code('recovered: false')} reloads what it shows, ${code('recovered: true')} does not`,
        },
      ],
      detailMd: `Recovery itself is tested against ${p.label} started with the project's config (Testing strategy); authorization where it lives (${p.authMd}).`,
    });
    return drafts;
  }
  drafts.push({
    title: 'Tests',
    files: [
      {
        path: channelModule.replace(/\.(ts|js)$/, '.test.$1'),
        action: 'create',
        why: changesOwn
          ? `the changed channel code against a stubbed ${p.label} client: ${p.recoveryMd ? 'a reattach that lost continuity catches up, one that kept it fetches nothing' : 'refetch on reconnect'}, unsubscribe on unmount`
          : `channel modules against a stubbed ${p.label} client: subscribe, refetch on reconnect, unsubscribe on unmount`,
      },
    ],
    detailMd: `No test reaches ${p.label}; authorization rules are tested where they live (${p.authMd}).`,
  });
  return drafts;
}

/**
 * When an instance dies, its clients return within the first-attempt window of the policy in
 * use, not over the backoff cap; only a random initial delay and a slow drain spread them.
 */
export function reconnectStorm(ctx: DesignCtx): EdgeCase {
  const r = ctx.capacity.result;
  const policy = reconnectPolicy(ctx);
  const a0 = policy.table[0];
  // A client that reconnects by itself runs its library's schedule, not rt-plan's policy.
  const lib = policy.project ? null : libraryReconnect(ctx);
  const lo = lib ? lib.firstMinMs : (a0?.minMs ?? 0);
  const hi = lib ? lib.firstMaxMs : (a0?.ceilingMs ?? 0);
  const survivors = Math.max(1, r.instances - 1);
  const perSurvivor = Math.ceil(r.connectionsPerInstance / survivors);
  const windowMs = hi - lo;
  const burst = Math.ceil(perSurvivor / (Math.max(windowMs, 1) / 1000));
  const spread = Math.ceil(perSurvivor / STORM_SPREAD_S);
  const drained = Math.ceil(r.connectionsPerInstance / DRAIN_SECONDS);
  // The project's own delay function draws the first attempt where the analysis read it.
  const how = policy.project
    ? `the code's delay draws the first attempt from [${fmt(lo)}, ${fmt(hi)} ms]`
    : lib
      ? `${code(lib.library)} waits its default ${code(lib.minOption)} before the first retry, ${lo === hi ? `${fmt(lo)} ms` : `${fmt(lo)}–${fmt(hi)} ms`} (${lib.drawnMd})`
      : STORM[policy.kind].firstMd(lo, hi, BACKOFF.baseMs);
  const perWhere = r.instances > 1 ? 'per survivor' : 'on the restarted instance';
  const closesMd = lib
    ? `${code(lib.library)} adds no delay of its own to a server-initiated close (drain, load shedding): every drop waits its ${code(lib.minOption)}${hi > lo ? `, which already spreads them over ${fmt(hi - lo)} ms` : `, the same for every client, so nothing spreads them: draw it per client in the client's options, over ${STORM_SPREAD_S} s: about ${fmt(spread)} reconnects/s ${perWhere}`}.`
    : `Server-initiated closes (drain, load shedding) get a random initial delay before the first reconnect, uniform 0–${STORM_SPREAD_S} s ${initialDelayHow(ctx, policy.kind)}: about ${fmt(spread)} reconnects/s ${perWhere}.`;
  const refuse = profileOf(ctx).refuseMd;
  // Viewers the context keeps anonymous, on a connection the code does not authenticate, have nothing to re-authenticate.
  const open = rulesOut(ctx, 'login') !== undefined && !serverAuth(ctx);
  // Yjs exchanges state vectors; where nothing else is replayed (no seq of ours), a reconnect asks for the current state.
  const asksFor = stateVectors(ctx) ? 'the updates it lacks (a state-vector exchange, no replay log)' : seqless(ctx) ? 'the current state' : 'replay';
  return {
    title: 'Reconnect storm',
    riskMd: `An instance dies and its ${fmt(r.connectionsPerInstance)} clients reconnect together, each ${open ? 'asking' : 're-authenticating and asking'} for ${asksFor}: ${how}, so ${fmt(r.instances > 1 ? perSurvivor : r.connectionsPerInstance)} clients reach ${r.instances > 2 ? `each of the ${fmt(survivors)} survivors` : r.instances === 2 ? 'the surviving instance' : 'the restarted instance'} ${windowMs > 0 ? `within ${fmt(windowMs)} ms, about ${fmt(burst)} reconnects/s` : 'in the same instant'}.`,
    mitigationMd: `${closesMd} ${
      ecsBehindAlb(ctx)
        ? `A deploy is not spread by a drain of ours on ECS behind the ALB: the ALB closes the ${fmt(r.connectionsPerInstance)} connections still open on the task being replaced together when the target group's deregistration delay ends, before SIGTERM reaches the process (Performance and scaling), and that close is not a server-initiated one, so the clients come back as after a crash, unless the app closes them itself in batches within the delay, which needs a signal of its own since SIGTERM comes only after it. A crash or such a deploy is spread by neither, so`
        : r.instances === 1 && profileOf(ctx).drainMd === undefined
          ? `With one instance a deploy drains nowhere unless the new process runs beside the old one (Horizontal scaling): otherwise a deploy, like a crash, is spread by neither, so`
          : `Deploys drain over ${fmt(DRAIN_SECONDS)} s: ${fmt(drained)} reconnects/s per drained instance. A crash is spread by neither, so`
    } size each node's ${open ? 'handshake path' : 'handshake and auth path'} for the burst above; ${refuse}.`,
  };
}

const STORM_SPREAD_S = 5;

/**
 * Where a room keeps its per-connection token buckets. A platform whose hibernation is opt-in
 * (PartyKit: `roomLimit`) keeps a room in memory while it has connections, so where the stated rooms
 * fit without hibernation a plain map on the room holds them, with no state written per message.
 */
function bucketHomeMd(ctx: DesignCtx): string {
  const saved = profileOf(ctx).socketStateMd ?? "each socket's own saved state";
  const limit = profileOf(ctx).roomLimit;
  const room = ctx.capacity.workload?.largestRoom ?? ctx.capacity.workload?.room ?? null;
  if (limit && room && room.value <= limit.plain)
    return `kept in a ${code('Map')} on the room keyed by connection: the stated rooms fit without ${limit.settingMd} (Horizontal scaling), and a room that does not hibernate stays in memory while it has connections; only if the room class turns hibernation on do they move to ${saved}, so a room that sleeps and wakes keeps them`;
  return `kept in ${saved} so a room that sleeps and wakes keeps them`;
}

function initialDelayHow(ctx: DesignCtx, kind: PolicyKind): string {
  const own = STORM[kind];
  return own.ownDelay ? own.delayMd : (profileOf(ctx).stormDelayMd ?? stepTexts(ctx).stormDelayMd ?? own.delayMd);
}

/**
 * The server's own connection auth, where the steps change it: a token the client puts in its
 * URL (`jwt-query` found in a client file) is what the client sends, not a check the server makes.
 */
function serverAuth(ctx: DesignCtx): { kind: AuthKind; evidence: string | null } | undefined {
  const a = ctx.input.analysis.stack;
  const client = (file: string) =>
    a.entrypoints.some((e) => e.file === file && /-client$/.test(e.kind)) && !a.entrypoints.some((e) => e.file === file && !/-client$/.test(e.kind));
  return a.auth.find((x) => x.kind !== 'none' && x.evidence && !client(x.evidence.replace(/:\d+$/, '')));
}

/** " (exports `ClientEvent` at a:2 and `ServerEvent` at a:7; new names go into them)", from the model's facts. */
function ownNamesMd(ctx: DesignCtx, file: string): string {
  const names = protocolNamesIn(ctx, file);
  if (names.length === 0) return '';
  return ` (its ${list(names.map((n) => `${code(n.name)} at ${code(n.at)}`))} hold the event names; new names go into ${names.length === 1 ? 'it' : 'them'}, not into string literals)`;
}

/** Where a shared workspace package holds the protocol, the schemas go there too, for every package that imports it. */
function sharedSchemasMd(ctx: DesignCtx): string {
  const shared = sharedProtocolPackage(ctx);
  if (!shared) return '';
  return ` The schemas go into the shared ${code(shared.name)} package next to the names, so ${list(shared.users.map((u) => code(u)))} validate against the same definitions.`;
}

/**
 * The client library already reconnects and keeps the connection alive with options the project
 * sets (react-use-websocket's `shouldReconnect`, `reconnectInterval`, `heartbeat`): those options
 * are kept and tuned where this plan's figures ask for it, instead of a connection manager of ours
 * that would drop what they do (a close code they refuse to retry, an attempt limit).
 */
function keptClientSettings(ctx: DesignCtx): StepDraft | null {
  const rc = ctx.input.analysis.stack.reconnect;
  const deps = ctx.input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies));
  if (!rc.present || !rc.evidence || !reconnectSettings(deps)) return null;
  const facts = ctx.input.analysis.modelFacts ?? [];
  const options = facts.find((f) => f.kind === 'options-object');
  const optionsFile = (options?.evidence ?? rc.evidence).replace(/:\d+$/, '');
  const hb = ctx.input.analysis.stack.heartbeat;
  const limit = silenceLimit(ctx);
  const attempts = attemptLimitOf(ctx);
  const limitMd = attempts
    ? `make the reconnect attempts unbounded instead of ${code(`${attempts.name}: ${attempts.attempts}`)}, or show a "Reconnect" control once they stop (Connection management); `
    : '';
  const files: StepFile[] = [
    {
      path: optionsFile,
      action: 'change',
      why:
        limit?.ms && hb.timeoutMs !== undefined
          ? `lower the keep-alive timeout from ${fmt(hb.timeoutMs)} ms to at most ${fmt(limit.ms)} ms, so a connection that dies silently is noticed in time for the stated recovery target (Connection management)${hb.intervalMs !== undefined && hb.intervalMs > limit.ms / 2 ? `, and the ping interval from ${fmt(hb.intervalMs)} ms to at most ${fmt(Math.floor(limit.ms / 2))} ms, so a healthy connection on which nothing else arrives still gets a pong inside the timeout` : ''}; ${limitMd}keep the ${attempts ? 'other ' : ''}reconnect options as they are`
          : `${limitMd}keep the ${attempts ? 'other ' : ''}reconnect and keep-alive options; Connection management checks them against the policy`,
    },
  ];
  const queued = facts.find((f) => f.kind === 'queued-send');
  if (queued)
    files.push({
      path: queued.evidence.replace(/:\d+$/, ''),
      action: 'change',
      why: `send commands with ${code(queued.value ?? '')} (line ${queued.evidence.split(':').pop()}) and show one as not sent while the socket is not open, as State synchronization says`,
      lines: [queued.evidence.split(':').pop()!],
    });
  // The server closes a client that stays silent, and the heartbeat does not guarantee a frame.
  const timer = silentClientTimer(ctx);
  if (timer) {
    const why = `send a frame the server accepts every ${fmt(timer.everyMs)} ms on a fixed timer while the socket is open (${code(`setInterval(() => sendMessage(message, false), ${timer.everyMs})`)} in an effect on the ready state, cleared when it closes): the server closes a client silent for ${fmt(timer.limitMs)} ms (${code(timer.evidence)}), and the heartbeat does not guarantee a frame before that (Connection management)`;
    const hook = rc.evidence.replace(/:\d+$/, '');
    const same = files.find((f) => f.path === hook);
    if (same) same.why = `${same.why}; ${why}`;
    else files.push({ path: hook, action: 'change', why });
  }
  return {
    title: 'Client connection settings',
    files,
    detailMd: `The client already reconnects with backoff${rc.jitter ? ' and jitter' : ''} (${code(rc.evidence)})${options ? ` through ${code(options.name)}` : ''}: keep that code and tune it, rather than move it onto a connection manager of ours.`,
  };
}

/**
 * What the connection code resends on every open: everything the server must know, except a join
 * another client file already sends (the component that knows the room id stays the one joiner).
 * `cite`: name the section that says what (Resume and replay); off where the step cites it itself.
 */
function resendMd(ctx: DesignCtx, file: string, cite = true): string {
  const site = clientJoinSite(ctx, existingFor(ctx.input.analysis.events, 'join')?.name);
  const where = cite ? ' (Resume and replay)' : '';
  return site && site.path !== file
    ? `resend what else the server must know on every open${where}, but not ${code(site.name)}: ${code(`${site.path}:${site.line}`)} sends it, and a second send would join twice`
    : `resend what the server must know on every open${where}`;
}

/** One typing event per sender per this window: the Typing storms mitigation (rt-plan's protocol note). */

/**
 * The client throttle the Typing storms mitigation asks for, in the client file that sends typing
 * today (its 'client-send' fact). Where a bucket of ours limits that event, the throttle ships first:
 * rt-plan does not read how often the client calls the send, and one per keystroke would be refused.
 */
function typingThrottleDraft(ctx: DesignCtx): StepDraft | null {
  const sends = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'client-send');
  const e = ctx.input.analysis.events.find(
    (x) => typingStart(x.name) && x.direction !== 'server-to-client' && sends.some((f) => f.name === x.name && /:\d+$/.test(f.evidence)),
  );
  if (!e) return null;
  const at = sends.find((f) => f.name === e.name && /:\d+$/.test(f.evidence))!.evidence;
  const file = at.replace(/:\d+$/, '');
  const bucket = connectionBucket(ctx, e.name);
  const limit = bucket
    ? `${bucket.event === e.name ? `${code(e.name)}'s own bucket` : 'the per-connection bucket'} (${fmt(bucket.rate)}/s, burst ${fmt(bucket.burst)}; Security)`
    : null;
  return {
    title: limit ? 'Client typing throttle, before the rate limits' : 'Client typing throttle',
    files: [
      {
        path: file,
        action: 'change',
        why: `send ${code(e.name)} (line ${at.slice(file.length + 1)}) at most once per ${fmt(TYPING_THROTTLE_MS)} ms per user: the first keystroke of a window sends and the rest of that window's keystrokes send nothing (Typing storms in Race conditions and edge cases)`,
        lines: [at.slice(file.length + 1)],
      },
    ],
    // Where the code shows the send per key pressed, the step says so instead of saying rt-plan cannot tell.
    detailMd: (() => {
      const keyed = keystrokeSend(ctx, e.name);
      const how = keyed ? `today ${keystrokeMd(keyed)}` : 'rt-plan does not read how often the client calls this send';
      return limit
        ? `Ships to clients before ${limit} is enforced: ${how}, and a client sending ${code(e.name)} on every keystroke would be refused over the limit (Security says what follows).`
        : `Each ${code(e.name)} sent is one more message to deliver, count and pay for; ${how}.`;
    })(),
  };
}
