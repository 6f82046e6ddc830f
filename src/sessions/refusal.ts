// Whether a model's answer was a refusal. Read from the assistant turn a client sends back with its
// next request, so streamed and non-streamed answers are judged alike and nothing extra sits on the
// response path. Only the opening matters: refusals say so in their first sentence.

const OPENING = 400;

const REFUSAL = new RegExp(
  [
    String.raw`\bi(?:'m| am) sorry,? (?:but )?(?:i|that)\b.{0,40}\b(?:can(?:'t|not)|won't|unable|not able|decline)`,
    String.raw`\bi (?:can(?:'t|not)|won't|will not|am unable to|'m unable to|am not able to|'m not able to|must decline to|have to decline to) (?:help|assist|provide|comply|share|do that|fulfil|fulfill|support|create|give|write|generate|disclose|reveal|discuss|engage)`,
    String.raw`\bi must (?:decline|refuse)\b`,
    String.raw`\b(?:that|this) (?:request )?(?:goes against|violates|is against) (?:my|the|our) (?:guidelines|policies|policy|principles|usage policy)`,
    String.raw`\bas an ai(?: language model| assistant)?,? i (?:can(?:'t|not)|am not able|won't|don't)`,
  ].join('|'),
  'i',
);

export function isRefusal(text: string): boolean {
  if (text.length === 0) return false;
  return REFUSAL.test(text.slice(0, OPENING).replace(/[\u2018\u2019]/g, "'"));
}
