// Checks an audit backend applies to each event before it becomes a row: every backend rejects the
// same malformed events, with the same messages.

export function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  return requiredText(value, field);
}

export function requiredNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${field} must be a finite number`);
  return value;
}

export function optionalInteger(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  return Math.round(requiredNumber(value, field));
}
