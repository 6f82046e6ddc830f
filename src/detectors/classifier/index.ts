// Learned detector: linear heads over hashed character and word n-grams (see features.ts), trained by
// scripts/train-classifier.ts on the development data plus synthetic rows, committed as
// models/classifier/model.json and loaded once when this module is imported.
//
// User turns are scored whole by three heads (injection, jailbreak, harmful); a long turn is also
// scored sentence by sentence by the heads the artifact has a sentence curve for (harmful), so pasted
// text cannot average a short request away. Untrusted content (documents, tool results) is scored in
// overlapping windows by a document head and the best window counts, so a short instruction planted
// in a long document is not diluted by it. Operator text
// (trust "trusted") is not scored: system prompts describe rules and personas in exactly the words
// attacks use. Scores are calibrated on false-positive rates: the default flag threshold is reached by
// about 1 benign text in 1,000 of a source the model never saw, the default block threshold by none of
// the development data's (see models/classifier/DATA_CARD.md for what each score means).
import type { Category, Finding, OwaspId, Severity } from '../../exchange/types.ts';
import type { Detector, ScanContext } from '../types.ts';
import { USER_HEAD_NAMES, calibrate, loadArtifact } from './model.ts';
import type { LinearModel } from './model.ts';
import { Scorer, newSegmentMargins } from './score.ts';

export const CLASSIFIER_DETECTOR_ID = 'classifier';

/**
 * Findings below this score are not reported: it is the lowest threshold of the default policy
 * (untrusted injection flags at 0.4), and below it the classifier's evidence is noise in an audit
 * log. Engines built for lower thresholds pass their own floor (createClassifierDetector).
 */
export const REPORT_FLOOR = 0.4;

/**
 * Texts shorter than this are not scored: a word or two sets too few n-grams for a statistical
 * judgement (a parameter named "message" is not an instruction). The signature detectors cover them.
 */
export const MIN_CHARS = 12;

export { loadArtifact, type LinearModel } from './model.ts';

function severityOf(score: number): Severity {
  if (score >= 0.9) return 'high';
  if (score >= 0.6) return 'medium';
  return 'low';
}

const USER_HEADS: readonly { category: Category; owasp: OwaspId[]; label: string }[] = [
  { category: 'injection', owasp: ['LLM01'], label: 'prompt injection' },
  { category: 'jailbreak', owasp: ['LLM01'], label: 'jailbreak' },
  // As the signature harmful detector: a harmful request is a content-policy matter, not an LLM Top 10 risk.
  { category: 'harmful', owasp: [], label: 'harmful request' },
];

export interface ClassifierOptions {
  /** Only report findings at or above this score. Default REPORT_FLOOR. */
  floor?: number;
}

export function createClassifierDetector(model: LinearModel, opts: ClassifierOptions = {}): Detector {
  const scorer = new Scorer(model);
  const floor = opts.floor ?? REPORT_FLOOR;
  const margins = new Float64Array(3);
  const seg = newSegmentMargins();
  const sentences = Object.keys(model.calibration.segment).length > 0;
  const version = model.version;

  function scan(text: string, ctx: ScanContext): Finding[] {
    if (ctx.direction !== 'input' || ctx.trust === 'trusted' || text.length < MIN_CHARS) return [];
    const out: Finding[] = [];
    if (ctx.trust === 'untrusted') {
      const best = scorer.documentMargin(text);
      const score = calibrate(model.calibration.indirect, best.margin);
      if (score >= floor) {
        const span = scorer.localize(text, best.start, best.end, (m) => calibrate(model.calibration.indirect, m) >= floor);
        out.push({
          detector: CLASSIFIER_DETECTOR_ID,
          category: 'injection',
          rule: 'classifier.indirect',
          score,
          severity: severityOf(score),
          owasp: ['LLM01'],
          span,
          explanation: `Learned classifier (${version}): this part of third-party content reads like an instruction aimed at the assistant (score ${score.toFixed(2)}).`,
        });
      }
      return out;
    }
    scorer.userMargins(text, margins);
    // False for a turn too short to split (sentences.ts).
    const segmented = sentences && scorer.segmentMargins(text, seg);
    for (let h = 0; h < USER_HEADS.length; h++) {
      const head = USER_HEADS[h];
      const curve = USER_HEAD_NAMES[h];
      if (!head || !curve) continue;
      const whole = calibrate(model.calibration[curve], margins[h] as number);
      const sentenceCurve = model.calibration.segment[curve];
      const part = segmented && sentenceCurve !== undefined ? calibrate(sentenceCurve, seg.margin[h] as number) : 0;
      const score = Math.max(whole, part);
      if (score < floor) continue;
      const bySentence = part > whole;
      out.push({
        detector: CLASSIFIER_DETECTOR_ID,
        category: head.category,
        rule: `classifier.${curve}`,
        score,
        severity: severityOf(score),
        owasp: head.owasp,
        span: bySentence ? { start: seg.start[h] as number, end: seg.end[h] as number } : { start: 0, end: text.length },
        explanation: bySentence
          ? `Learned classifier (${version}): a sentence of this long text reads like a ${head.label} (score ${score.toFixed(2)}, against the best sentences of long benign texts).`
          : `Learned classifier (${version}): the text reads like a ${head.label} (score ${score.toFixed(2)}).`,
      });
    }
    return out;
  }

  return {
    id: CLASSIFIER_DETECTOR_ID,
    categories: ['injection', 'jailbreak', 'harmful'],
    directions: ['input'],
    // Decoded views (base64, rot13, folded look-alike letters, …) are scored too: an encoded
    // instruction is still an instruction once the normaliser has decoded it.
    scansViews: true,
    scan,
  };
}

/** The detector over the committed artifact. */
export const classifierDetector: Detector = createClassifierDetector(loadArtifact());
