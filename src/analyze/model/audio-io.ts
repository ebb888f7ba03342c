// Audio the browser code captures and plays: where `getUserMedia` opens the microphone and an
// `AudioContext` is created, with the sample rate the code asks for, and whether the code ever
// stops the stream's tracks or closes the context. A microphone whose tracks are never stopped
// stays on (the browser's recording indicator too) after the session ends; an open
// AudioContext keeps its audio thread running. Absence is said as "rt-plan found no …": the
// markers make every file that names `getTracks`, `getUserMedia` or `AudioContext` a parsed one.
// https://developer.mozilla.org/docs/Web/API/MediaStreamTrack/stop
// https://developer.mozilla.org/docs/Web/API/AudioContext/close
import type { ModelFact } from '../../types.js';
import type { ArgInfo } from '../code/ast.js';
import type { CallFact } from '../code/facts.js';
import type { FileAnalysis } from '../code/scan.js';

const GET_USER_MEDIA = /(^|\.)mediaDevices\.getUserMedia$/;
const AUDIO_CONTEXT = /^(?:window\.)?(?:AudioContext|webkitAudioContext)$/;
/** A `.stop()` that may stop a track: on a track path, or in a callback over `getTracks()`. */
const TRACK_STOP = /track|getTracks|getAudioTracks/i;
/** A `.close()` that may close an audio context by its name. */
const AUDIO_CLOSE = /audio|ctx|context/i;

/** The numeric `sampleRate` an options object asks for, or null. */
function sampleRateOf(a: ArgInfo | undefined): number | null {
  const r = a?.kind === 'object' ? a.props?.sampleRate : undefined;
  return r?.kind === 'number' && typeof r.num === 'number' ? r.num : null;
}

/** `getUserMedia({ audio: … })` or `getUserMedia({ audio: true })`: the call asks for audio. */
function asksAudio(c: CallFact): boolean {
  const o = c.args[0];
  return o?.kind === 'object' && o.props?.audio !== undefined;
}

export function audioIo(analyses: readonly FileAnalysis[]): ModelFact[] {
  const calls = analyses.flatMap((a) => a.ctx.facts.calls.map((c) => ({ file: a.file, c })));
  const stops = calls.filter(
    ({ file, c }) =>
      c.method === 'stop' && (TRACK_STOP.test(c.path) || calls.some((o) => o.file === file && o.c.line <= c.line && /getTracks|getAudioTracks/.test(o.c.path))),
  );
  const out: ModelFact[] = [];
  for (const { file, c } of calls) {
    if (!GET_USER_MEDIA.test(c.path) || !asksAudio(c)) continue;
    const rate = sampleRateOf(c.args[0]?.props?.audio);
    const stop = stops[0];
    out.push({
      kind: 'audio-capture',
      name: 'getUserMedia',
      evidence: `${file}:${c.line}`,
      ...(rate !== null ? { value: String(rate) } : {}),
      note: `\`getUserMedia\` opens the microphone here${rate !== null ? `, asking for a \`sampleRate\` of ${rate} Hz (a request the browser may not honour)` : ''}; ${
        stop
          ? `a track \`stop()\` is at \`${stop.file}:${stop.c.line}\`.`
          : "rt-plan found no `stop()` of the stream's tracks in the code, so the microphone stays on after the session ends until the page is closed."
      }`,
    });
  }
  for (const a of analyses) {
    for (const c of a.ctx.facts.calls) {
      if (!c.isNew || !AUDIO_CONTEXT.test(c.path)) continue;
      const rate = sampleRateOf(c.args[0]);
      const names = new Set(a.ctx.facts.vars.filter((v) => v.line === c.line).map((v) => v.name));
      const closed = calls.find(({ c: x }) => x.method === 'close' && (names.has(x.root) || AUDIO_CLOSE.test(x.path.replace(/\.close$/, ''))));
      out.push({
        kind: 'audio-context',
        name: 'AudioContext',
        evidence: `${a.file}:${c.line}`,
        ...(rate !== null ? { value: String(rate) } : {}),
        note: `An \`AudioContext\` is created here ${rate !== null ? `at a \`sampleRate\` of ${rate} Hz` : "at the device's default rate (no `sampleRate` given)"}; ${
          closed
            ? `a \`close()\` that may be its own is at \`${closed.file}:${closed.c.line}\`.`
            : 'rt-plan found no `close()` of it in the code, so its audio thread keeps running after the session ends.'
        }`,
      });
    }
  }
  return out;
}
