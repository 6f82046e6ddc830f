import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayConfig, PolicyConfig } from '../config/index.ts';
import { matchesModel } from '../config/index.ts';
import type { Principal, Provider } from '../exchange/types.ts';
import { clientCredential } from '../forward/headers.ts';
import { hashKey } from '../keys/index.ts';
import type { KeyRecord, KeyStore } from '../keys/index.ts';
import { GatewayError } from './errors.ts';

export interface Identity {
  principal: Principal;
  policy: PolicyConfig;
  /** Model patterns the key and its app allow (policy patterns are checked separately). */
  modelPatterns: string[][];
  /** The provider credential to forward when the deployment passes client keys through. */
  clientProviderKey?: string;
}

/**
 * Who is calling, and under which policy. The gateway key comes from `x-parapet-key`, or from the
 * provider's usual auth header so unmodified SDKs work by just changing their base URL and key.
 */
export function identify(
  provider: Provider,
  headers: IncomingHttpHeaders,
  config: GatewayConfig,
  keys: KeyStore,
): Identity {
  const explicit = headers['x-parapet-key'];
  const standard = clientCredential(provider, headers);
  const gatewayKey = typeof explicit === 'string' && explicit.length > 0 ? explicit.trim() : standard;
  if (!gatewayKey) {
    throw new GatewayError('authentication', 'Missing Parapet API key. Send it as a Bearer token, x-api-key, or x-parapet-key header.');
  }
  const hash = hashKey(gatewayKey);
  const record = findKey(hash, config, keys);
  if (!record) throw new GatewayError('authentication', 'Invalid Parapet API key.');
  if (record.revokedAt) throw new GatewayError('authentication', 'This Parapet API key has been revoked.');

  const app = config.apps[record.app];
  const policyName = record.policy ?? app?.policy ?? 'default';
  const policy = config.policies[policyName];
  if (!policy) {
    // Fail closed: a key bound to a policy the operator removed must not fall back to a weaker one.
    throw new GatewayError('permission', `This key is bound to policy '${policyName}', which is not defined in the gateway configuration.`);
  }
  const modelPatterns: string[][] = [];
  if (record.models && record.models.length > 0) modelPatterns.push(record.models);
  if (app?.models && app.models.length > 0) modelPatterns.push(app.models);

  const upstream = config.upstreams[provider];
  const passthrough = upstream.passthroughClientKey && typeof explicit === 'string' && explicit.length > 0 ? standard : undefined;
  return {
    principal: { keyId: record.id, app: record.app, policy: policyName, ...(record.user ? { user: record.user } : {}) },
    policy,
    modelPatterns,
    ...(passthrough ? { clientProviderKey: passthrough } : {}),
  };
}

function findKey(hash: string, config: GatewayConfig, keys: KeyStore): Pick<KeyRecord, 'id' | 'app' | 'policy' | 'models' | 'user' | 'revokedAt'> | undefined {
  for (const k of config.keys) {
    if (k.sha256 === hash) return { id: k.id, app: k.app, policy: k.policy, models: k.models };
  }
  return keys.findByHash(hash);
}

/** 403 unless every allowlist (key, app, policy) admits the model. */
export function checkModel(identity: Identity, model: string): void {
  const lists = [...identity.modelPatterns, identity.policy.models];
  for (const patterns of lists) {
    if (!matchesModel(patterns, model)) {
      throw new GatewayError('permission', `Model '${model}' is not allowed for this key.`);
    }
  }
}
