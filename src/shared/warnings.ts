// What a warning says as data (`Warning.kind`), read by the stages that act on it instead of its wording.
import type { Warning } from '../types.js';

/** The files the analyzer skipped as minified, bundled or generated code. */
export function skippedGeneratedFiles(warnings: readonly Warning[]): string[] {
  return warnings.flatMap((w) => (w.kind === 'skipped-generated' && w.file !== null ? [w.file] : []));
}
