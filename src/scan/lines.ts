// JSON lines in, JSON lines out, in order. Output is batched so a million short records do not
// cost a million write calls, and the writer's backpressure is honoured so memory stays flat.
import type { PolicyConfig } from '../config/types.ts';
import type { DetectionEngine } from '../detectors/engine.ts';
import { parseRecordLine } from './record.ts';
import { scanRecord } from './scan.ts';

export interface ScanLinesOptions {
  engine: DetectionEngine;
  policy: PolicyConfig;
  /** Receives whole output lines (each ending in \n); may return a promise to apply backpressure. */
  write: (chunk: string) => void | Promise<void>;
  /** Bytes of output gathered before a write. */
  batchBytes?: number;
}

export interface LineResult {
  /** Input lines read, blank ones included (line numbers in errors count them). */
  lines: number;
  /** Records scanned successfully. */
  scanned: number;
  /** Bad lines: how many, and the first few messages. */
  errorCount: number;
  errors: string[];
}

const MAX_KEPT_ERRORS = 10;

/**
 * Scans every non-blank line. A bad line (not JSON, no text, wrong types, or a scan that threw)
 * yields `{"error": "line N: ..."}` in its place and scanning goes on.
 */
export async function scanLines(lines: AsyncIterable<string> | Iterable<string>, opts: ScanLinesOptions): Promise<LineResult> {
  const batch = opts.batchBytes ?? 64 * 1024;
  const result: LineResult = { lines: 0, scanned: 0, errorCount: 0, errors: [] };
  let out = '';
  for await (const raw of lines) {
    result.lines++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) continue;
    let text: string;
    const record = parseRecordLine(line);
    if (typeof record === 'string') {
      text = errorLine(result, `line ${result.lines}: ${record}`);
    } else {
      try {
        text = JSON.stringify(scanRecord(record, opts.engine, opts.policy));
        result.scanned++;
      } catch (err) {
        text = errorLine(result, `line ${result.lines}: scan failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    out += `${text}\n`;
    if (out.length >= batch) {
      await opts.write(out);
      out = '';
    }
  }
  if (out.length > 0) await opts.write(out);
  return result;
}

function errorLine(result: LineResult, message: string): string {
  result.errorCount++;
  if (result.errors.length < MAX_KEPT_ERRORS) result.errors.push(message);
  return JSON.stringify({ error: message });
}
