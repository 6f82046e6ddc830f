// A small hand-written SVG line chart (no dependency): side-by-side panels sharing a legend, both axes
// logarithmic, because latency spans a few tenths of a millisecond at one connection to tens of
// milliseconds at 64, and concurrency is 1, 16, 64.

export interface Series {
  name: string;
  points: [x: number, y: number][];
  /** Drawn dashed: baselines (the mock, the proxies) as opposed to gateways. */
  dashed?: boolean;
}

export interface Panel {
  title: string;
  series: Series[];
}

export interface ChartOptions {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  panels: Panel[];
}

const PALETTE = ['#6b7280', '#0ea5e9', '#16a34a', '#a16207', '#7c3aed', '#dc2626', '#db2777', '#0f766e', '#ea580c'];

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Tick values 1-2-5 per decade covering [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(Number(v.toPrecision(3)));
    }
  }
  return out;
}

/** The nearest 1-2-5 step at or below (down) or at or above (up) v. */
export function snap(v: number, dir: 'down' | 'up'): number {
  const e = 10 ** Math.floor(Math.log10(v));
  const m = v / e;
  const step = dir === 'down' ? (m >= 5 ? 5 : m >= 2 ? 2 : 1) : m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return Number((step * e).toPrecision(3));
}

function fmtTick(v: number): string {
  return v >= 1 ? String(v) : v.toPrecision(1);
}

export function renderChart(o: ChartOptions): string {
  const pw = 420;
  const ph = 300;
  const m = { l: 56, r: 16, t: 28, b: 44 };
  const top = o.subtitle ? 64 : 48;
  const names = [...new Set(o.panels.flatMap((p) => p.series.map((s) => s.name)))];
  const legendRows = Math.ceil(names.length / 3);
  const width = o.panels.length * (pw + m.l + m.r) + 16;
  const height = top + ph + m.t + m.b + 20 + legendRows * 20;
  const color = (name: string): string => PALETTE[names.indexOf(name) % PALETTE.length] ?? '#000';
  const all = o.panels.flatMap((p) => p.series.flatMap((s) => s.points)).filter(([x, y]) => x > 0 && y > 0 && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  // Snap the y range out to 1-2-5 ticks so every line sits inside labelled gridlines.
  const yLo = snap(Math.min(...ys, 1), 'down');
  const yHi = snap(Math.max(...ys, 1), 'up');
  const xLo = Math.min(...xs, 1);
  const xHi = Math.max(...xs, 2);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="16" y="24" font-size="16" font-weight="600">${escapeXml(o.title)}</text>`);
  if (o.subtitle) out.push(`<text x="16" y="44" fill="#555">${escapeXml(o.subtitle)}</text>`);
  o.panels.forEach((panel, i) => {
    const ox = 8 + i * (pw + m.l + m.r) + m.l;
    const oy = top + m.t;
    const sx = (x: number): number => ox + ((Math.log(x) - Math.log(xLo)) / (Math.log(xHi) - Math.log(xLo))) * pw;
    const sy = (y: number): number => oy + ph - ((Math.log(y) - Math.log(yLo)) / (Math.log(yHi) - Math.log(yLo))) * ph;
    out.push(`<text x="${ox}" y="${oy - 10}" font-weight="600">${escapeXml(panel.title)}</text>`);
    for (const t of logTicks(yLo, yHi)) {
      out.push(`<line x1="${ox}" x2="${ox + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e7eb"/>`);
      out.push(`<text x="${ox - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${fmtTick(t)}</text>`);
    }
    for (const t of [...new Set(xs)].sort((a, b) => a - b)) {
      out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${oy}" y2="${oy + ph}" stroke="#e5e7eb"/>`);
      out.push(`<text x="${sx(t).toFixed(1)}" y="${oy + ph + 16}" text-anchor="middle" fill="#444">${t}</text>`);
    }
    out.push(`<rect x="${ox}" y="${oy}" width="${pw}" height="${ph}" fill="none" stroke="#9ca3af"/>`);
    out.push(`<text x="${ox + pw / 2}" y="${oy + ph + 34}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
    out.push(`<text transform="translate(${ox - 42} ${oy + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
    for (const s of panel.series) {
      const pts = s.points.filter(([x, y]) => x > 0 && y > 0 && Number.isFinite(y));
      if (pts.length === 0) continue;
      const d = pts.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      const c = color(s.name);
      out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
      for (const [x, y] of pts) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${c}"><title>${escapeXml(`${s.name}: ${y.toFixed(3)} ms at ${x}`)}</title></circle>`);
    }
  });
  const ly = top + m.t + ph + m.b + 8;
  const dashed = new Set(o.panels.flatMap((p) => p.series.filter((s) => s.dashed).map((s) => s.name)));
  names.forEach((name, k) => {
    const x = 8 + m.l + (k % 3) * 280;
    const y = ly + Math.floor(k / 3) * 20;
    out.push(`<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${color(name)}" stroke-width="2"${dashed.has(name) ? ' stroke-dasharray="5 4"' : ''}/>`);
    out.push(`<text x="${x + 30}" y="${y + 4}">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
