// Who sets a record's change time: an SQL statement of the project that writes a time column from
// the database's clock (`update orders set status = $2, updated_at = now() …`). The plan orders two
// copies of one record by that time only where it can say which clock set it; a database's `now()`
// is one clock for every instance, taken when the transaction (Postgres) or statement (MySQL) starts.
import type { ModelFact } from '../../types.js';
import type { FileFacts } from '../code/facts.js';

/** A time column set from the database's clock in an UPDATE or INSERT … SET of the project. */
const SET_FROM_DB_CLOCK =
  /\b((?:updated|modified|changed|edited)_?at|last_?(?:updated|modified|changed)(?:_?at)?)\s*=\s*(now\(\)|current_timestamp(?:\(\))?|clock_timestamp\(\)|statement_timestamp\(\)|transaction_timestamp\(\)|localtimestamp|utc_timestamp\(\)|sysdate\(\)|getdate\(\)|sysutcdatetime\(\))/i;
/** The string is SQL that writes a row. */
const WRITES_ROW = /\b(?:update\s+[\w."]+\s+set|insert\s+into|on\s+conflict|on\s+duplicate\s+key)\b/i;

/** One fact per string of SQL that sets a change-time column from the database clock (name: the column; value: the clock as written). */
export function changeTimes(facts: ReadonlyMap<string, FileFacts>): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of facts) {
    for (const s of f.strings) {
      if (!WRITES_ROW.test(s.value)) continue;
      const m = SET_FROM_DB_CLOCK.exec(s.value);
      if (!m?.[1] || !m[2]) continue;
      const line = s.line + (s.value.slice(0, m.index).match(/\n/g)?.length ?? 0);
      out.push({
        kind: 'change-time',
        name: m[1],
        value: m[2],
        evidence: `${file}:${line}`,
        note: `\`${m[1]}\` is set by the database's clock (\`${m[0]}\`): one clock for every instance, read when the transaction or statement starts, not when it commits.`,
      });
    }
  }
  return out;
}
