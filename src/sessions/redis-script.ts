// The Lua scripts behind RedisSessionStore: a line-by-line mirror of state.ts, so a session judged on
// any gateway instance sees every turn any instance recorded. Each script runs atomically inside
// Redis; states are JSON strings (cjson), one key per session and one per gateway key. Times come
// from the gateway (ARGV), not Redis: session windows are minutes long, and a few milliseconds of
// clock skew between instances change nothing in them.

import { script } from '../stores/redis/lua.ts';

const COMMON = `
local MINUTE = 60000
local function new_session(now)
  return { turns = 0, blocked = 0, flagged = 0, probes = 0, refusals = 0, outputIncidents = 0, firstAt = now, lastAt = now, recent = {} }
end
local function new_key(now)
  return { minute = math.floor(now / MINUTE), requests = 0, tokens = 0, detections = 0, baseRequests = 0, baseTokens = 0, warmMinutes = 0, sigs = {}, probes = {} }
end
local function load(key, make, now)
  local raw = redis.call('GET', key)
  if raw then return cjson.decode(raw) end
  return make(now)
end
local function session_ttl(s, now, ttl)
  local t = ttl
  if s.interruptedUntil and s.interruptedUntil - now > t then t = s.interruptedUntil - now end
  return math.ceil(t)
end
local function key_ttl(k, now, ttl, revoked_ttl)
  if k.revokedRule then return revoked_ttl end
  local t = ttl
  if k.throttledUntil and k.throttledUntil - now > t then t = k.throttledUntil - now end
  return math.ceil(t)
end
`;

/**
 * KEYS: session, key. ARGV: now, turn (JSON), history (JSON array), tokens, keep, keepSigs, ttlMs,
 * keepProbes, baselineAlpha, revokedTtlMs.
 * Returns {0, refusal JSON} when the turn is refused (nothing recorded), else {1, session JSON, key JSON}.
 */
export const RECORD = script(`${COMMON}
local now = tonumber(ARGV[1])
local turn = cjson.decode(ARGV[2])
local history = cjson.decode(ARGV[3])
local tokens = tonumber(ARGV[4])
local keep = tonumber(ARGV[5])
local keep_sigs = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])
local keep_probes = tonumber(ARGV[8])
local alpha = tonumber(ARGV[9])
local revoked_ttl = tonumber(ARGV[10])
local s = load(KEYS[1], new_session, now)
local k = load(KEYS[2], new_key, now)

if k.revokedRule then
  return { 0, cjson.encode({ kind = 'revoked', rule = k.revokedRule }) }
end
if s.interruptedUntil and s.interruptedUntil > now then
  return { 0, cjson.encode({ kind = 'interrupted', ['until'] = s.interruptedUntil, rule = s.interruptRule or 'sessions' }) }
end
if k.throttledUntil and k.throttledUntil > now then
  local minute = math.floor(now / MINUTE)
  if k.throttleMinute ~= minute then
    k.throttleMinute = minute
    k.throttleCount = 0
  end
  if (k.throttleCount or 0) >= (k.throttleRpm or 0) then
    redis.call('SET', KEYS[2], cjson.encode(k), 'PX', key_ttl(k, now, ttl, revoked_ttl))
    return { 0, cjson.encode({ kind = 'throttled', ['until'] = k.throttledUntil, rule = k.throttleRule or 'sessions', retryAt = (minute + 1) * MINUTE, rpm = k.throttleRpm or 0 }) }
  end
  k.throttleCount = (k.throttleCount or 0) + 1
end

local minute = math.floor(now / MINUTE)
if minute > k.minute then
  local gap = minute - k.minute
  k.baseRequests = k.baseRequests + alpha * (k.requests - k.baseRequests)
  k.baseTokens = k.baseTokens + alpha * (k.tokens - k.baseTokens)
  if gap > 1 then
    local f = (1 - alpha) ^ (gap - 1)
    k.baseRequests = k.baseRequests * f
    k.baseTokens = k.baseTokens * f
  end
  k.warmMinutes = math.min(k.warmMinutes + gap, 1000000)
  k.requests = 0
  k.tokens = 0
  k.detections = 0
  k.minute = minute
end
k.requests = k.requests + 1
k.tokens = k.tokens + tokens
if turn.action ~= 'allow' then k.detections = k.detections + 1 end
if turn.sig ~= '' then
  table.insert(k.sigs, turn.sig)
  while #k.sigs > keep_sigs do table.remove(k.sigs, 1) end
end
if turn.probe then
  table.insert(k.probes, now)
  while #k.probes > keep_probes do table.remove(k.probes, 1) end
end

local function append(t)
  s.turns = s.turns + 1
  table.insert(s.recent, t)
  while #s.recent > keep do table.remove(s.recent, 1) end
  if t.action == 'block' then
    s.blocked = s.blocked + 1
  elseif t.action ~= 'allow' then
    s.flagged = s.flagged + 1
  end
  if t.probe then s.probes = s.probes + 1 end
  if t.refusedBefore then s.refusals = s.refusals + 1 end
end
if s.turns == 0 then
  for _, h in ipairs(history) do append(h) end
end
append(turn)
s.lastAt = now

local sj = cjson.encode(s)
local kj = cjson.encode(k)
redis.call('SET', KEYS[1], sj, 'PX', session_ttl(s, now, ttl))
redis.call('SET', KEYS[2], kj, 'PX', key_ttl(k, now, ttl, revoked_ttl))
return { 1, sj, kj }
`);

/**
 * KEYS[i]: a session (interrupt) or a key (throttle, revoke). ARGV: now, ttlMs, revokedTtlMs, then
 * four values per key: kind, until, requestsPerMinute, rule.
 */
export const ACT = script(`${COMMON}
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local revoked_ttl = tonumber(ARGV[3])
for i = 1, #KEYS do
  local a = 3 + (i - 1) * 4
  local kind = ARGV[a + 1]
  local until_ms = tonumber(ARGV[a + 2])
  local rpm = tonumber(ARGV[a + 3])
  local rule = ARGV[a + 4]
  if kind == 'interrupt' then
    local s = load(KEYS[i], new_session, now)
    if not s.interruptedUntil or s.interruptedUntil < until_ms then
      s.interruptedUntil = until_ms
      s.interruptRule = rule
    end
    redis.call('SET', KEYS[i], cjson.encode(s), 'PX', session_ttl(s, now, ttl))
  elseif kind == 'release' or kind == 'unthrottle' then
    -- An operator lifting an action: only a state that exists is touched.
    local raw = redis.call('GET', KEYS[i])
    if raw then
      local v = cjson.decode(raw)
      if kind == 'release' then
        v.interruptedUntil = nil
        v.interruptRule = nil
      else
        v.throttledUntil = nil
        v.throttleRpm = nil
        v.throttleRule = nil
        v.throttleMinute = nil
        v.throttleCount = nil
      end
      redis.call('SET', KEYS[i], cjson.encode(v), 'KEEPTTL')
    end
  else
    local k = load(KEYS[i], new_key, now)
    if kind == 'revoke' then
      k.revokedRule = rule
    elseif not k.throttledUntil or k.throttledUntil < until_ms then
      k.throttledUntil = until_ms
      k.throttleRpm = rpm
      k.throttleRule = rule
    end
    redis.call('SET', KEYS[i], cjson.encode(k), 'PX', key_ttl(k, now, ttl, revoked_ttl))
  end
end
return 1
`);

/** KEYS[1]: a session. ARGV: now, ttlMs. Counts an output incident of a session that exists. */
export const OUTPUT = script(`${COMMON}
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local s = cjson.decode(raw)
s.outputIncidents = s.outputIncidents + 1
redis.call('SET', KEYS[1], cjson.encode(s), 'PX', session_ttl(s, now, ttl))
return 1
`);
