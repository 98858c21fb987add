// Shrinks a failing program to a small one that fails the same way, so that a report shows the
// construct at fault rather than forty random lines. Works on lines (the generator writes one
// statement per line): drop single lines, then whole `{ … }` blocks, then `else` branches, for as
// long as `stillFails` holds.

/** Returns the smallest program found that still satisfies `stillFails` (the input if none is). */
export function minimizeProgram(source: string, stillFails: (candidate: string) => boolean, maxAttempts = 2000): string {
  // A while loop's counter step: without it the loop never ends, which fails differently.
  const isLoopStep = (line: string) => /^\s*\$w\d+\+\+;$/.test(line);
  let lines = source.split('\n');
  let attempts = 0;
  const tryCandidate = (candidate: string[]): boolean => {
    if (attempts++ >= maxAttempts) return false;
    if (!stillFails(candidate.join('\n'))) return false;
    lines = candidate;
    return true;
  };
  let progress = true;
  while (progress && attempts < maxAttempts) {
    progress = false;
    // Whole blocks first (a probe, a loop, an if): the biggest cuts.
    for (let index = 0; index < lines.length; index++) {
      const end = blockEnd(lines, index);
      if (end !== undefined && tryCandidate([...lines.slice(0, index), ...lines.slice(end + 1)])) {
        progress = true;
        index--;
      }
    }
    for (let index = 0; index < lines.length; index++) {
      if (blockEnd(lines, index) !== undefined || /^\s*}/.test(lines[index]!) || isLoopStep(lines[index]!)) continue;
      if (tryCandidate([...lines.slice(0, index), ...lines.slice(index + 1)])) {
        progress = true;
        index--;
      }
    }
    // `} else {` … `}`: keep the if, lose the else.
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      const elseAt = line.indexOf('} else');
      if (elseAt < 0) continue;
      const end = closingLine(lines, index, line.slice(elseAt + 1));
      if (end === undefined) continue;
      const candidate = [...lines.slice(0, index), `${line.slice(0, elseAt)}}`, ...lines.slice(end + 1)];
      if (tryCandidate(candidate)) progress = true;
    }
  }
  return lines.join('\n');
}

/**
 * When line `index` opens a block (ends with `{`) or is a probe header followed by one, the index
 * of the line that closes it.
 */
function blockEnd(lines: readonly string[], index: number): number | undefined {
  const line = lines[index]!;
  if (/{\s*$/.test(line) && !/^\s*}/.test(line)) return closingLine(lines, index);
  if (lines[index + 1] !== undefined && /^{\s*$/.test(lines[index + 1]!) && !/^\s/.test(line)) return closingLine(lines, index + 1);
  if (lines[index + 1] === '{ }' && !/^\s/.test(line)) return index + 1;
  return undefined;
}

/** The line where the braces opened on line `start` (or in `firstLine`, read in its place) close. */
function closingLine(lines: readonly string[], start: number, firstLine = lines[start]!): number | undefined {
  let depth = 0;
  for (let index = start; index < lines.length; index++) {
    for (const character of stripStrings(index === start ? firstLine : lines[index]!)) {
      if (character === '{') depth++;
      else if (character === '}') depth--;
    }
    if (depth <= 0 && index > start) return index;
  }
  return undefined;
}

function stripStrings(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}
