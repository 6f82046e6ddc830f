// Resident memory of a server process and its children (nginx workers, cluster workers), from
// /proc. Linux only; elsewhere the memory figures are reported as unavailable (NaN).
import fs from 'node:fs';

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    }
  } catch {
    // gone, or not Linux
  }
  return out;
}

function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS in KiB of `pid` and all its descendants; NaN when /proc cannot be read. */
export function treeRssKb(pid: number): number {
  if (!fs.existsSync(`/proc/${pid}/status`)) return NaN;
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    total += rssKb(p);
    stack.push(...children(p));
  }
  return total;
}
