import type { Category, Direction, Finding, Role, Trust } from '../exchange/types.ts';

/** What a detector knows about the text it is given. */
export interface ScanContext {
  role: Role;
  trust: Trust;
  direction: Direction;
  /** The system prompt of the exchange, for leakage checks on output. */
  systemPrompt?: string;
  /** Name of the tool whose arguments are being scanned (output tool calls). */
  toolName?: string;
}

/**
 * A detector has one job: text in, findings out. Detectors are pure and side-effect free; the policy,
 * not the detector, decides what happens. Spans are relative to the text passed in.
 */
export interface Detector {
  readonly id: string;
  readonly categories: readonly Category[];
  scan(text: string, ctx: ScanContext): Finding[];
}
