export { createDefaultEngine, emptyCategories, scanRecord, scopeOf } from './scan.ts';
export type { Verdict } from './scan.ts';
export { defaultDirection, defaultTrust, parseRecordLine, toRecord } from './record.ts';
export type { ScanRecord } from './record.ts';
export { scanLines } from './lines.ts';
export type { LineResult, ScanLinesOptions } from './lines.ts';
