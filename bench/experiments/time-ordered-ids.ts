// Experiment preload (node --import) for the proposed audit-id change of issue 8: makes
// crypto.randomUUID() return UUIDv7 (time-ordered) ids in the process it is loaded into, so the
// gateway's audit event ids append to the stores' unique index instead of landing on random pages.
// The real change is one line in src/server/gateway.ts (use auditEventId() from src/audit/id.ts);
// this lets `node bench/side-by-side.ts --experiment` measure it beside the unchanged gateway.
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { auditEventId } from '../../src/audit/id.ts';

const v4 = crypto.randomUUID;
// auditEventId() draws its random bits from randomUUID itself: keep the original for it.
Object.defineProperty(crypto, 'randomUUID', { value: () => auditEventId(Date.now(), v4), writable: true, configurable: true });
syncBuiltinESMExports();
