// The MCP module's public surface: the policy engine, its two transports, and the pin store.
export { McpGuard, McpSession, toolAllowed, toolMatches } from './guard.ts';
export type { ClientVerdict, GuardOptions, Log, McpIdentity, SessionInfo } from './guard.ts';
export { buildMcpConfig, clientPolicy, defaultMcpConfig, DEFAULT_CLIENT } from './config.ts';
export type { ArgumentRule, McpClientPolicy, McpConfig, McpServerConfig, PinChangeAction } from './config.ts';
export { mcpSchema, SERVER_NAME } from './schema.ts';
export type { RawMcp } from './schema.ts';
export { SqlitePinStore, migrateMcp, pinStatus } from './pins.ts';
export type { PinStatus, PinStore, ToolPin } from './pins.ts';
export { canonicalJson, definitionTexts, toolHash } from './definitions.ts';
export { poisoningDetector, scanDefinition, POISONING_DETECTOR_ID } from './poisoning.ts';
export { createMcpProxy } from './http.ts';
export type { McpProxy, McpProxyOptions } from './http.ts';
export { runStdioWrapper } from './stdio.ts';
export { identifyClient } from './identity.ts';
