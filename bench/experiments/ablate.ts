// Ablation preload (node --import) for `bench/cpu-ab.ts --ablate`: switches whole parts of the
// gateway off in the process it is loaded into, so a run can measure what each part costs per
// request against the same tree with everything on. Never for production: with these off the
// gateway records, correlates or inspects nothing.
//   PARAPET_ABLATE=sessions,audit,inspection node --import bench/experiments/ablate.ts src/cli/main.ts serve
// The patches reach the gateway because an ES module is loaded once per URL: these imports are the
// very classes the gateway constructs.
import { BufferedAuditSink } from '../../src/audit/buffered-sink.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';
import { SessionGuard } from '../../src/sessions/guard.ts';

/** Whole parts; besides these, `detector:ID` switches off one registered detector. */
export const ABLATABLE = ['sessions', 'audit', 'inspection', 'input-inspection', 'output-inspection'] as const;

const parts = (process.env['PARAPET_ABLATE'] ?? '').split(',').filter((p) => p !== '');
for (const p of parts) {
  if (p.startsWith('detector:')) {
    const id = p.slice('detector:'.length);
    const d = DEFAULT_DETECTORS.find((x) => x.id === id);
    if (d === undefined) throw new Error(`PARAPET_ABLATE: no detector '${id}' (registered: ${DEFAULT_DETECTORS.map((x) => x.id).join(', ')})`);
    // The registry's objects are the ones the engine holds, so this reaches the gateway's engine.
    d.scan = () => [];
    continue;
  }
  if (!(ABLATABLE as readonly string[]).includes(p)) throw new Error(`PARAPET_ABLATE: unknown part '${p}' (known: ${ABLATABLE.join(', ')}, detector:ID)`);
}
// No session: begin() answering undefined is what a policy with sessions disabled gets.
if (parts.includes('sessions')) SessionGuard.prototype.begin = () => undefined;
// No audit event queued, so no row built, posted or written.
if (parts.includes('audit')) BufferedAuditSink.prototype.write = () => undefined;
// No normaliser and no detector on any text, input or output.
if (parts.includes('inspection')) DetectionEngine.prototype.scanText = () => ({ findings: [], failures: [] });
// One direction only: the other still runs in full.
for (const direction of ['input', 'output'] as const) {
  if (!parts.includes(`${direction}-inspection`)) continue;
  const scan = DetectionEngine.prototype.scanText;
  DetectionEngine.prototype.scanText = function (this: DetectionEngine, text, ctx, disabled) {
    return ctx.direction === direction ? { findings: [], failures: [] } : scan.call(this, text, ctx, disabled);
  };
}
if (parts.length > 0) process.stderr.write(`parapet: ablated for measurement: ${parts.join(', ')}\n`);
