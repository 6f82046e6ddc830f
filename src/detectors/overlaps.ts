/** A match with a position and a confidence, as secrets and PII rules produce. */
export interface Scored {
  start: number;
  end: number;
  score: number;
}

/**
 * Several rules can claim the same characters (a provider rule and the generic assignment rule, a
 * card number that is also phone-shaped). Within each cluster of overlapping matches keep the
 * best-scored, longer first, then anything that no longer overlaps what was kept. Sorts `ms`.
 */
export function resolveOverlaps<T extends Scored>(ms: T[]): T[] {
  if (ms.length < 2) return ms;
  ms.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  let cluster: T[] = [];
  let clusterEnd = -1;
  const flush = (): void => {
    if (cluster.length === 1) kept.push(cluster[0] as T);
    else if (cluster.length > 1) {
      cluster.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start));
      const chosen: T[] = [];
      for (const c of cluster) if (chosen.every((k) => c.end <= k.start || c.start >= k.end)) chosen.push(c);
      chosen.sort((a, b) => a.start - b.start);
      for (const c of chosen) kept.push(c);
    }
    cluster = [];
  };
  for (const m of ms) {
    if (m.start >= clusterEnd) {
      flush();
      clusterEnd = m.end;
    } else clusterEnd = Math.max(clusterEnd, m.end);
    cluster.push(m);
  }
  flush();
  return kept;
}
