/** Suggestions for misspelt keys and names: `max_age` → `max-age`, `log-fresj` → `log-fresh`. */

/** The closest candidate to `word`, or undefined when none is close enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const wanted = canonical(word);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, canonical(candidate));
    const allowed = Math.max(1, Math.floor(candidate.length / 3));
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `maxAge`, `max_age` and `MAX-AGE` all compare equal to `max-age`. */
function canonical(word: string): string {
  return word.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/_/g, "-").toLowerCase();
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const cells = new Map<number, number>();
  const cell = (i: number, j: number): number => cells.get(i * width + j) ?? Math.max(i, j);
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(cell(i - 1, j) + 1, cell(i, j - 1) + 1, cell(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, cell(i - 2, j - 2) + 1);
      cells.set(i * width + j, distance);
    }
  }
  return cell(a.length, b.length);
}
