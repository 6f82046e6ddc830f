// The JSON-RPC 2.0 envelope MCP speaks, read defensively: a proxy sees whatever a client or server
// sends, so nothing here assumes a well-formed peer. Only the envelope is typed; params and results
// stay `unknown` until the guard looks at the fields it needs.

export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: unknown;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INTERNAL_ERROR = -32603;
/**
 * A call Parapet refused by policy. JSON-RPC leaves -32000…-32099 to implementations; the MCP SDK uses
 * -32000, -32001 and -32042 of them, so this stays clear of those.
 */
export const POLICY_BLOCKED = -32040;
/** The upstream server could not be reached or answered with something that is not MCP. */
export const UPSTREAM_FAILED = -32041;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

export function isRequest(msg: unknown): msg is JsonRpcRequest {
  return isObject(msg) && typeof msg['method'] === 'string' && isId(msg['id']);
}

export function isNotification(msg: unknown): msg is JsonRpcNotification {
  return isObject(msg) && typeof msg['method'] === 'string' && !('id' in msg);
}

export function isResponse(msg: unknown): msg is JsonRpcResponse {
  return isObject(msg) && !('method' in msg) && ('result' in msg || 'error' in msg) && (isId(msg['id']) || msg['id'] === null);
}

/**
 * Request ids are unique per direction and connection, but `1` and `"1"` are different ids; the key
 * keeps them apart in one Map.
 */
export function idKey(id: JsonRpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

export function errorResponse(id: JsonRpcId | null, code: number, message: string, data?: unknown): JsonRpcResponse {
  const error: JsonRpcErrorObject = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}
