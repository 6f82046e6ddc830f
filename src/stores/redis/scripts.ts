// The Lua scripts behind RedisLimitStore. Each runs atomically inside Redis, which is what makes one
// limit exact across any number of gateway instances: the test of every counter of a request and
// the update of all of them happen with no other command in between. Time is Redis's own (TIME), so
// instances with skewed clocks still agree on window buckets. The window arithmetic mirrors
// src/limits/windows.ts and src/limits/memory.ts.

import { script } from './lua.ts';

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Period counters outlive their period by this much, so a late refund still finds them. */
export const PERIOD_GRACE_MS = 3_600_000;

// A window is a HASH: one field per bucket index with its amount, plus 's' (the sum of the bucket
// fields present) and 'o' (every bucket at or below it has been removed). Reading it removes only
// the buckets that aged out since the last reading, so a check costs O(1) amortised instead of a
// scan of all 60 buckets.
const WINDOW = `
local function window_used(key, now, windowMs, bucketMs)
  local span = windowMs / bucketMs
  local oldest = math.floor(now / bucketMs) - span
  local meta = redis.call('HMGET', key, 's', 'o')
  local sum = tonumber(meta[1])
  -- No sum: no window yet. Nothing is written here, so a refused check never leaves a key behind.
  if sum == nil then return 0, oldest, span end
  local cleaned = tonumber(meta[2]) or oldest
  if cleaned < oldest then
    if oldest - cleaned >= span then
      redis.call('DEL', key)
      sum = 0
    else
      local fields = {}
      for b = cleaned + 1, oldest do fields[#fields + 1] = b end
      local values = redis.call('HMGET', key, unpack(fields))
      for j = 1, #values do sum = sum - (tonumber(values[j]) or 0) end
      redis.call('HDEL', key, unpack(fields))
      redis.call('HSET', key, 's', sum)
    end
    redis.call('HSET', key, 'o', oldest)
  end
  return sum, oldest, span
end
`;

/**
 * KEYS[i]: the counter of check i. ARGV: five values per check:
 *   'w', limit, amount, windowMs, bucketMs   sliding window (see WINDOW)
 *   'p', limit, amount, expiresAt, 0         calendar period: STRING counter
 *   'c', limit, leaseId, ttlMs, 0            concurrency: ZSET leaseId → lapse time
 * Returns {1, now} when every check passed and all were applied, else
 * {0, index, used, retryAfterMs, ...} for each failing check (retryAfterMs -1: never fits); then
 * nothing was applied.
 */
export const RESERVE = script(`${NOW}${WINDOW}
local failures = {}
for i = 1, #KEYS do
  local a = (i - 1) * 5
  local kind = ARGV[a + 1]
  local limit = tonumber(ARGV[a + 2])
  local key = KEYS[i]
  if kind == 'w' then
    local amount = tonumber(ARGV[a + 3])
    local windowMs = tonumber(ARGV[a + 4])
    local bucketMs = tonumber(ARGV[a + 5])
    local used, oldest, span = window_used(key, now, windowMs, bucketMs)
    if used + amount > limit then
      local retry = -1
      if amount <= limit then
        local live = {}
        local flat = redis.call('HGETALL', key)
        for j = 1, #flat, 2 do
          local idx = tonumber(flat[j])
          if idx ~= nil and idx > oldest then live[#live + 1] = { idx, tonumber(flat[j + 1]) } end
        end
        table.sort(live, function(x, y) return x[1] < y[1] end)
        local need = used + amount - limit
        local freed = 0
        retry = windowMs
        for _, b in ipairs(live) do
          freed = freed + b[2]
          if freed >= need then
            retry = math.max(1, (b[1] + span) * bucketMs - now)
            break
          end
        end
      end
      failures[#failures + 1] = i - 1
      failures[#failures + 1] = used
      failures[#failures + 1] = retry
    end
  elseif kind == 'p' then
    local amount = tonumber(ARGV[a + 3])
    local used = tonumber(redis.call('GET', key) or '0')
    if used + amount > limit then
      local retry = -1
      if amount <= limit then retry = math.max(1, tonumber(ARGV[a + 4]) - now) end
      failures[#failures + 1] = i - 1
      failures[#failures + 1] = used
      failures[#failures + 1] = retry
    end
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    local used = redis.call('ZCARD', key)
    if used + 1 > limit then
      failures[#failures + 1] = i - 1
      failures[#failures + 1] = used
      failures[#failures + 1] = 1000
    end
  end
end
if #failures > 0 then
  table.insert(failures, 1, 0)
  return failures
end
for i = 1, #KEYS do
  local a = (i - 1) * 5
  local kind = ARGV[a + 1]
  local key = KEYS[i]
  if kind == 'w' then
    local amount = tonumber(ARGV[a + 3])
    local windowMs = tonumber(ARGV[a + 4])
    local bucketMs = tonumber(ARGV[a + 5])
    if amount > 0 then
      redis.call('HINCRBY', key, math.floor(now / bucketMs), amount)
      redis.call('HINCRBY', key, 's', amount)
      redis.call('HSETNX', key, 'o', math.floor(now / bucketMs) - windowMs / bucketMs)
      redis.call('PEXPIRE', key, windowMs + bucketMs)
    end
  elseif kind == 'p' then
    local amount = tonumber(ARGV[a + 3])
    if amount > 0 then
      redis.call('INCRBY', key, amount)
      redis.call('PEXPIREAT', key, tonumber(ARGV[a + 4]) + ${PERIOD_GRACE_MS})
    end
  else
    local ttl = tonumber(ARGV[a + 4])
    redis.call('ZADD', key, now + ttl, ARGV[a + 3])
    redis.call('PEXPIRE', key, ttl)
  end
end
return { 1, now }
`);

/**
 * KEYS[i]: a counter. ARGV: five values per adjustment:
 *   'w', reservedAt, delta, windowMs, bucketMs   a refund goes back to the bucket it was reserved in
 *                                                (while that bucket is in the window), more usage to
 *                                                the current bucket
 *   'p', delta, expiresAt, 0, 0                  never below zero
 *   'r', leaseId, 0, 0, 0                        frees a concurrency slot
 */
export const ADJUST = script(`${NOW}
for i = 1, #KEYS do
  local a = (i - 1) * 5
  local kind = ARGV[a + 1]
  local key = KEYS[i]
  if kind == 'w' then
    local at = tonumber(ARGV[a + 2])
    local delta = tonumber(ARGV[a + 3])
    local windowMs = tonumber(ARGV[a + 4])
    local bucketMs = tonumber(ARGV[a + 5])
    local current = math.floor(now / bucketMs)
    if delta > 0 then
      redis.call('HINCRBY', key, current, delta)
      redis.call('HINCRBY', key, 's', delta)
      redis.call('HSETNX', key, 'o', current - windowMs / bucketMs)
      redis.call('PEXPIRE', key, windowMs + bucketMs)
    else
      local b = math.floor(at / bucketMs)
      if b > current - windowMs / bucketMs then
        local v = tonumber(redis.call('HGET', key, b) or '0')
        local d = math.max(delta, -v)
        if d < 0 then
          redis.call('HINCRBY', key, b, d)
          redis.call('HINCRBY', key, 's', d)
        end
      end
    end
  elseif kind == 'p' then
    local v = redis.call('INCRBY', key, tonumber(ARGV[a + 2]))
    if v < 0 then redis.call('SET', key, 0) end
    redis.call('PEXPIREAT', key, tonumber(ARGV[a + 3]) + ${PERIOD_GRACE_MS})
  else
    redis.call('ZREM', key, ARGV[a + 2])
  end
end
return 1
`);

/** KEYS[i]: a lease set; ARGV: leaseId, ttlMs per key. Extends leases that have not lapsed. */
export const RENEW = script(`${NOW}
for i = 1, #KEYS do
  local ttl = tonumber(ARGV[i * 2])
  redis.call('ZADD', KEYS[i], 'XX', now + ttl, ARGV[i * 2 - 1])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return 1
`);
