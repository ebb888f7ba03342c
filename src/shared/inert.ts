// Terminal-safe text. Names from a project (files, events, lockfile entries) may carry escape
// sequences, carriage returns or bidi overrides that rewrite what a terminal or an editor
// shows. They are written as visible `\uXXXX` escapes, which also keeps JSON output valid
// (inside a JSON string the escape decodes back to the same character).
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

export function inert(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Like inert(), keeping the plain SGR colour codes chalk writes (`ESC[31m`): for coloured output. */
export function inertKeepingColour(text: string): string {
  return text
    .split(/(\u001b\[\d{1,2}m)/)
    .map((part, i) => (i % 2 === 1 ? part : inert(part)))
    .join('');
}
