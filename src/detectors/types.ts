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
  /** Directions the detector is meaningful for; the engine skips it elsewhere. Default: both. */
  readonly directions?: readonly Direction[];
  /**
   * Whether decoded/normalised views of the text (see normalize/) should be scanned too. Signature
   * detectors for instructions want them; span-exact detectors (secrets, PII) usually scan raw text.
   */
  readonly scansViews?: boolean;
  scan(text: string, ctx: ScanContext): Finding[];
}

/** A decoded or normalised rendering of a text (e.g. base64-decoded, confusables folded). */
export interface TextView {
  /** What produced it, e.g. "nfkc", "base64", "rot13"; "raw" is the text itself. */
  name: string;
  text: string;
}

/**
 * Produces the views of a text that detectors should also see, plus findings about the hiding
 * itself (invisible characters, tag smuggling, encoded instructions). Runs once per text.
 */
export type Normalizer = (text: string) => { views: TextView[]; findings: Finding[] };
