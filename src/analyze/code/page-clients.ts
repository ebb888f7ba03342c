// Socket.IO clients in pages the server serves (`public/tv.html`, an EJS or Handlebars view): the
// analyzer parses no page, so a client there is one whose transports it cannot read. A page that
// loads the client script the server serves (`/socket.io/socket.io.js`, its default `serveClient`)
// or a CDN build, or calls `io(` in a script, has such a client; one too large to read may have one.
// https://socket.io/docs/v4/client-installation/#standalone-build
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { readLimitedText } from '../../shared/read-limited.js';

/** Page and view files a server may send to a browser. */
export const PAGE_EXTENSIONS = /\.(?:html?|ejs|hbs|handlebars|njk|mustache)$/i;

const CLIENT_SCRIPT = /<script\b[^>]*\bsrc\s*=\s*["'][^"']*\/socket\.io(?:\.min)?\.js(?:[?#][^"']*)?["']/i;
const IO_CALL = /(?<![\w$.])io(?:\.connect)?\s*\(/;
const SCRIPT = /<script\b[^>]*>([\s\S]*?)<\/script>/gi;

/** The line of the first Socket.IO client in a page's text (the client script, or an `io(` call in an inline script), or null. */
export function pageSocketClient(text: string): number | null {
  const at: number[] = [];
  const script = CLIENT_SCRIPT.exec(text);
  if (script) at.push(script.index);
  for (const m of text.matchAll(SCRIPT)) {
    const call = IO_CALL.exec(m[1] ?? '');
    if (call) {
      at.push(m.index + m[0].indexOf(m[1]!) + call.index);
      break;
    }
  }
  if (at.length === 0) return null;
  return text.slice(0, Math.min(...at)).split('\n').length;
}

const MAX_BYTES = 2 * 1024 * 1024;

/**
 * The pages that hold a Socket.IO client (`file:line`), and those too large or unreadable to tell
 * (`file`, no line): either way, not every client's transports are known.
 */
export async function pageSocketClients(root: string, pages: readonly string[]): Promise<string[]> {
  const within = await fs.realpath(root).catch(() => path.resolve(root));
  const out: string[] = [];
  for (const file of pages) {
    const read = await readLimitedText(path.join(within, file), { maxBytes: MAX_BYTES, within });
    if (!read.ok) {
      if (!read.missing) out.push(file);
      continue;
    }
    const line = pageSocketClient(read.text);
    if (line !== null) out.push(`${file}:${line}`);
  }
  return out;
}
