// A small line diff (longest common subsequence) for readable "expected vs actual" failures.
export function lineDiff(expected: string, actual: string, contextLines = 3): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lengths: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const edits: Array<{ mark: ' ' | '-' | '+'; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) edits.push({ mark: ' ', line: a[i++]! }), j++;
    else if (j < b.length && (i === a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) edits.push({ mark: '+', line: b[j++]! });
    else edits.push({ mark: '-', line: a[i++]! });
  }
  const keep = edits.map((edit, index) =>
    edits.slice(Math.max(0, index - contextLines), index + contextLines + 1).some((near) => near.mark !== ' '),
  );
  const lines: string[] = [];
  edits.forEach((edit, index) => {
    if (keep[index]) lines.push(`${edit.mark} ${edit.line}`);
    else if (keep[index - 1]) lines.push('  …');
  });
  return lines.join('\n');
}
