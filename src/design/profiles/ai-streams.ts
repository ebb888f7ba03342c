// Libraries that own the whole answer stream: the request, the wire format and the client hook.
// A project already on one keeps it, and the plan adds only what the library leaves to the app
// (finishing without a reader, persistence, resumption), instead of a protocol and hook of ours.
// Sources: https://ai-sdk.dev/docs/ai-sdk-ui/chatbot-message-persistence (consumeStream, onFinish
// with originalMessages), https://ai-sdk.dev/v5/docs/ai-sdk-ui/chatbot-resume-streams (resume,
// consumeSseStream, resumable-stream; in v5 not compatible with abort).
import type { Transport } from '../../types.js';
import type { DesignCtx } from '../context.js';
import { code } from '../md.js';

export interface StreamSdkProfile {
  /** The library's name in prose. */
  label: string;
  /** The server package, as the stack reports it. */
  library: string;
  /** Installed major version, when known: the resume API differs between majors. */
  major: number | null;
  /** The route that returns the stream and the component that reads it, where the analyzer saw them. */
  server: { file: string; line: number } | null;
  client: { file: string; line: number } | null;
  /** The client hook and the server call the plan keeps. */
  hook: string;
  serverCall: string;
  /** The wire parts the library streams, for the catalog (its names, not ours). */
  parts: { name: string; summary: string }[];
  /** In this major, a client abort (stop) breaks resumption: the two cannot be offered together. */
  resumeBreaksStop: boolean;
  /** Audit findings the plan's own steps for this library fix, so they get no separate step. */
  fixes: string[];
}

interface SdkSpec {
  library: string;
  label: string;
  hook: string;
  serverCall: string;
  parts: StreamSdkProfile['parts'];
  /** Majors whose resume treats a client abort as a cancel (v5); later ones treat it as a disconnect. */
  resumeBreaksStopIn: number[];
  fixes: string[];
}

const SDKS: SdkSpec[] = [
  {
    library: 'ai',
    label: 'AI SDK',
    hook: 'useChat',
    serverCall: 'streamText',
    parts: [
      { name: 'start', summary: 'a new assistant message begins (carries its id)' },
      { name: 'text-delta', summary: 'a piece of the answer text' },
      { name: 'finish', summary: 'the message is complete' },
      { name: 'error', summary: 'generation failed; the text is what `onError` returns' },
    ],
    resumeBreaksStopIn: [5],
    fixes: ['ai-stream-lost-on-disconnect'],
  },
];

function majorOf(version: string | null | undefined): number | null {
  const m = /(\d+)\./.exec(version ?? '');
  return m ? Number(m[1]) : null;
}

/** The stream-owning library the project already uses, with where its route and hook are. */
export function streamSdk(ctx: Pick<DesignCtx, 'input'>): StreamSdkProfile | null {
  const { stack } = ctx.input.analysis;
  for (const s of SDKS) {
    const lib = stack.libraries.find((l) => l.name === s.library);
    if (!lib) continue;
    const at = (kind: string) => {
      const e = [...stack.entrypoints].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line).find((x) => x.kind === kind);
      return e ? { file: e.file, line: e.line } : null;
    };
    const server = at('sse-endpoint');
    if (!server) continue;
    const major = majorOf(lib.version ?? lib.declared);
    return {
      label: s.label,
      library: s.library,
      major,
      server,
      client: at('sse-client'),
      hook: s.hook,
      serverCall: s.serverCall,
      parts: s.parts,
      resumeBreaksStop: major !== null && s.resumeBreaksStopIn.includes(major),
      fixes: s.fixes,
    };
  }
  return null;
}

export function where(p: { file: string; line: number } | null): string {
  return p ? ` (${code(`${p.file}:${p.line}`)})` : '';
}

/** Wires on which an AI answer is the response to the POST that asks, read with fetch (EventSource cannot POST). */
const FETCH_READ: Record<Transport, boolean> = { sse: true, websocket: false, 'socket.io': false, webrtc: false, 'long-polling': false };

export function answerIsFetchRead(ctx: Pick<DesignCtx, 'transport'>): boolean {
  return FETCH_READ[ctx.transport];
}
