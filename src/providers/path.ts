// Paths locate a string inside a parsed wire body, so a redaction decided on the neutral view can be
// written back into the exact place the provider expects it.

export type JsonPath = readonly (string | number)[];

/**
 * Parts whose text is a JSON rendering of a structured value (Anthropic tool_use `input`) carry
 * `encoding: 'json'`: the value at their path is not the string itself but the object it encodes.
 */
export interface EncodedText {
  path: JsonPath;
  encoding?: 'json';
}

export function getAtPath(body: unknown, path: JsonPath): unknown {
  let node: unknown = body;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Set the value at `path`; every container on the way must already exist. */
export function setAtPath(body: unknown, path: JsonPath, value: unknown): void {
  if (path.length === 0) throw new Error('setAtPath needs a non-empty path');
  let node: unknown = body;
  for (let i = 0; i < path.length - 1; i++) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string | number, unknown>)[path[i] as string | number];
  }
  const last = path[path.length - 1] as string | number;
  const ok =
    node !== null &&
    typeof node === 'object' &&
    (typeof last === 'number' ? Array.isArray(node) && last >= 0 && last < node.length : !Array.isArray(node));
  if (!ok) throw new Error(`no container at ${formatPath(path.slice(0, -1))}`);
  (node as Record<string | number, unknown>)[last] = value;
}

/**
 * Write new text for a part back into the body. For JSON-encoded parts the new text must still be
 * valid JSON (a redaction inside string values keeps it so); otherwise this throws and the caller
 * should block instead of redacting.
 */
export function writePartText(body: unknown, part: EncodedText, text: string): void {
  if (part.encoding === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`rewritten text for ${formatPath(part.path)} is no longer valid JSON`);
    }
    setAtPath(body, part.path, value);
    return;
  }
  setAtPath(body, part.path, text);
}

/** A path as a field name for error messages: messages[3].content[1].text */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}
