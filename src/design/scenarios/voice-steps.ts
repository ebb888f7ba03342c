// Implementation steps of the voice scenario, in this project's own files: its existing token
// route and provider client when the analysis found them, a backend to add when the project is
// a client-only app (a browser bundle cannot hold a provider key), and the SDK upgrade the
// provider's token API needs.
import { type DesignCtx, noSignInFound } from '../context.js';
import type { StepFile } from '../types.js';
import { code } from '../md.js';
import { clientFile, serverFile, type StepDraft } from './kit.js';
import { OPENAI_SECRET_SECONDS, type VoiceProvider } from './voice-providers.js';
import { agentOnly, CLIENT_ORDER, VOICE } from '../profiles/voice.js';

interface Found {
  genaiUpgrade: { manifest: string; declared: string } | null;
  route: { file: string; line: number } | null;
}

function manifestOf(ctx: DesignCtx, file: string | null): string {
  const pkgs = [...ctx.input.analysis.project.packages].sort((a, b) => b.dir.length - a.dir.length);
  return (
    pkgs.find((p) => file !== null && p.dir !== '' && file.startsWith(`${p.dir}/`))?.manifest ?? pkgs.find((p) => p.dir === '')?.manifest ?? 'package.json'
  );
}

const MINT: Record<VoiceProvider, string> = {
  'openai-realtime': `\`POST /v1/realtime/client_secrets\` with \`expires_after: { anchor: 'created_at', seconds: ${OPENAI_SECRET_SECONDS} }\`, one secret per session start; return only \`value\` and \`expires_at\``,
  'gemini-live':
    "`ai.authTokens.create({ config: { uses: 1, expireTime, newSessionExpireTime, liveConnectConstraints: { model, config }, httpOptions: { apiVersion: 'v1alpha' } } })`, where `model` and `config` are the session's own (the browser's connect call can no longer change them); return only `token.name`",
  livekit: '`new AccessToken(key, secret, { identity: <signed-in user id>, ttl })` with a `roomJoin` grant for a room that user may enter',
};

function tokenStep(ctx: DesignCtx, ps: VoiceProvider[], found: Found): StepDraft {
  const mint = ps.map((p) => MINT[p]).join('; ');
  const limit = noSignInFound(ctx)
    ? `rt-plan found no user sign-in in this project (no server, and the code authenticates nothing but the provider key), so the route has no session to check: anyone who can call it can spend the provider quota. Add sign-in and mint only for a signed-in user, or at least reject a missing or foreign ${code('Origin')}, rate-limit per IP (e.g. 10 per minute), keep each token narrow (${ps.map((p) => VOICE[p].narrowTokenMd).join('; ')}) and set a spending cap on the provider account. The provider key or API secret comes from the server environment only.`
    : 'Authenticate the caller before minting and rate-limit per user (e.g. 10 per minute); the provider key or API secret comes from the server environment only.';
  if (found.route) {
    return {
      title: 'Harden the existing token route',
      files: [{ path: found.route.file, action: 'change', why: `mint with ${mint}` }],
      detailMd: `${limit} The route stays at ${code(found.route.file)}.`,
    };
  }
  const file: StepFile = { path: serverFile(ctx, 'voice-token'), action: 'create', why: `token route: ${mint}` };
  if (ctx.input.analysis.findings.some((f) => f.id === 'client-only')) {
    return {
      title: 'Token route on the existing backend',
      files: [file],
      detailMd: `${limit} The server this client talks to is not in this repository: add the route there (the path shown follows this repository's layout).`,
    };
  }
  if (!ctx.layout.serverEntry) {
    return {
      title: 'Add a backend for the token route',
      files: [file],
      detailMd: `${limit} This project has no server of its own (a client-only app): a browser bundle cannot hold the key, so add a small backend (for example an Express or Hono app, or a serverless function on the same host) whose first job is this route (and later any tool that needs a key of its own), and proxy ${code('/api')} to it from the dev server.`,
    };
  }
  return {
    title: 'Ephemeral token route',
    files: [file, { path: ctx.layout.serverEntry, action: 'change', why: 'mount the token route behind the existing session middleware' }],
    detailMd: limit,
  };
}

export function voiceSteps(ctx: DesignCtx, ps: VoiceProvider[], found: Found): StepDraft[] {
  const drafts: StepDraft[] = [];
  if (ps.some((p) => VOICE[p].minSdk !== undefined) && found.genaiUpgrade) {
    drafts.push({
      title: 'Upgrade @google/genai for ephemeral tokens',
      files: [{ path: found.genaiUpgrade.manifest, action: 'change', why: `\`@google/genai\` ${found.genaiUpgrade.declared} → ^1.3.0 or later` }],
      detailMd: `${code('ai.authTokens.create')} and connecting with a token as the API key arrived in 1.3.0; both need ${code("httpOptions: { apiVersion: 'v1alpha' }")} on the Gemini Developer API (not Vertex AI). Check the Live API changes between the two versions when upgrading.`,
    });
  }
  drafts.push(tokenStep(ctx, ps, found));
  const providerClient =
    [...ctx.input.analysis.stack.entrypoints]
      .filter((e) => e.kind === 'provider-client')
      .map((e) => e.file)
      .sort()[0] ?? null;
  const client: StepFile = providerClient
    ? { path: providerClient, action: 'change', why: clientWhy(ps) }
    : { path: clientFile(ctx, 'voice-client'), action: 'create', why: clientWhy(ps) };
  if (agentOnly(ps)) {
    const manifest = manifestOf(ctx, found.route?.file ?? ctx.layout.serverEntry);
    drafts.push({
      title: 'Agent worker (LiveKit Agents)',
      files: [
        {
          path: serverFile(ctx, 'voice-agent'),
          action: 'create',
          why: 'an `@livekit/agents` worker that joins each room as the AI participant; function tools compute a preview, call the `confirmAction` RPC on the user and apply by `callId` only when approved',
        },
        { path: manifest, action: 'change', why: 'add `@livekit/agents` and the plugin of the chosen model (e.g. a realtime model plugin)' },
      ],
      detailMd: 'The worker is its own process (it registers with the LiveKit server and receives jobs); deploy and scale it apart from the token route.',
    });
    drafts.push({
      title: 'Voice room client',
      files: [client],
      detailMd: 'The browser never applies tool actions itself: it only shows the preview and answers the RPC.',
    });
    return drafts;
  }
  drafts.push({
    title: 'Voice client and ActionExecutor',
    files: [
      client,
      {
        path: clientFile(ctx, 'action-executor'),
        action: 'create',
        why: `preview mode, approval, apply by the call's ${ps.length === 1 ? code(VOICE[ps[0]!].toolCallId) : 'id'}`,
      },
    ],
    detailMd: 'Tool arguments are validated with the same schemas as the rest of the protocol.',
  });
  return drafts;
}

function clientWhy(ps: VoiceProvider[]): string {
  return CLIENT_ORDER.filter((p) => ps.includes(p))
    .map((p) => VOICE[p].clientWhyMd)
    .join('; ');
}
