// Ablation preload (node --import) for `bench/cpu-ab.ts --ablate`: switches whole parts of the
// gateway off in the process it is loaded into, so a run can measure what each part costs per
// request against the same tree with everything on. Never for production: with these off the
// gateway records, correlates or inspects nothing.
//   PARAPET_ABLATE=sessions,audit,inspection node --import bench/experiments/ablate.ts src/cli/main.ts serve
// The patches reach the gateway because an ES module is loaded once per URL: these imports are the
// very classes the gateway constructs.
import { BufferedAuditSink } from '../../src/audit/buffered-sink.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { SessionGuard } from '../../src/sessions/guard.ts';

export const ABLATABLE = ['sessions', 'audit', 'inspection'] as const;

const parts = (process.env['PARAPET_ABLATE'] ?? '').split(',').filter((p) => p !== '');
for (const p of parts) {
  if (!(ABLATABLE as readonly string[]).includes(p)) throw new Error(`PARAPET_ABLATE: unknown part '${p}' (known: ${ABLATABLE.join(', ')})`);
}
// No session: begin() answering undefined is what a policy with sessions disabled gets.
if (parts.includes('sessions')) SessionGuard.prototype.begin = () => undefined;
// No audit event queued, so no row built, posted or written.
if (parts.includes('audit')) BufferedAuditSink.prototype.write = () => undefined;
// No normaliser and no detector on any text, input or output.
if (parts.includes('inspection')) DetectionEngine.prototype.scanText = () => ({ findings: [], failures: [] });
if (parts.length > 0) process.stderr.write(`parapet: ablated for measurement: ${parts.join(', ')}\n`);
