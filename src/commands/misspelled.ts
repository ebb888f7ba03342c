// `rt-plan <task>` takes any word as a task name, so a mistyped command ("inti", "sacn")
// would silently plan a task of that name. A first word one edit (or one swap of two
// letters) away from a command is treated as a typo instead. Pure, and loaded by cli.ts
// before any command, so it stays free of imports.

/** The command `word` is a typo of, or null when it is one, or not close to any. */
export function misspelledCommand(word: string | undefined, commands: readonly string[]): string | null {
  if (!word || word.startsWith('-') || commands.includes(word)) return null;
  const lower = word.toLowerCase();
  return commands.find((c) => editDistance(lower, c) === 1 || transposed(lower, c)) ?? null;
}

function transposed(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
