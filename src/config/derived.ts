import type { Env } from "./env.js";

/**
 * Numbers that follow from the environment, computed once here rather than inline where they are
 * used, each with the reason for its formula.
 */
export function derivedSettings(env: Env) {
  const leaseMs = env.SESSION_LOCK_MS;
  return {
    leaseMs,
    /**
     * BullMQ's lock on a running job, renewed by BullMQ every half of it. As long as the lease:
     * by the time a dead worker's job is handed on, its lease has lapsed too, so the successor
     * polls at once.
     */
    jobLockMs: leaseMs,
    /**
     * BullMQ's stalled-job check: a job is marked at one check and handed on at the next one
     * after its lock lapsed, so a dead worker's session is resumed within jobLockMs + this (+ one
     * poll), and a restarted worker resumes it this long after its start (its first check marks).
     * One script a second per queue (a few Redis commands, whatever the number of sessions).
     */
    stalledCheckMs: Math.max(1_000, Math.floor(leaseMs / 6)),
    /**
     * A session record whose poller went silent this long is taken over: two missed lease
     * renewals plus slack for a slow Redis.
     */
    sessionStaleMs: 2 * leaseMs + 15_000,
    /**
     * A place in a group's line is kept this long for a session whose poller has not started; it
     * outlives a takeover (at most 1.5 leases and a poll), so a resumed session finds its place.
     */
    chatHoldMs: 3 * leaseMs,
    /** getStateInstance between QR polls: a safety net beside `alreadyLogged`, 1/s at most. */
    stateCheckEveryMs: Math.max(10_000, env.QR_POLL_INTERVAL_MS * 10),
    /**
     * Watch runs come at least once an interval while greenlight runs: runs further apart than
     * three intervals (a minute at least) mean it was not watching, a gap in the uptime.
     */
    historyGapMs: Math.max(60_000, 3 * env.STATE_POLL_INTERVAL_MS),
    /** Cap of the pause after failed GREEN-API calls in a row. */
    maxBackoffMs: 10_000,
    /** Pairing-code watches one worker runs at once: each waits on one GREEN-API call at a time. */
    pairingConcurrency: 200,
    /** How often a pairing watch asks for the state: four times per code life, 2 s at most. */
    pairingCheckEveryMs: Math.min(2_000, env.PAIRING_CODE_TTL_MS / 4),
    /**
     * Observations of shard jobs that land within this window are applied in one watch run (one
     * grouped alert per chat): at most once a second, and well inside one interval.
     */
    applyWindowMs: Math.min(1_000, Math.max(20, Math.floor(env.STATE_POLL_INTERVAL_MS / 4))),
    /**
     * A shard job a dead worker held is run again after its lock lapses (about twice this): within
     * one interval, but never so short that a busy worker loses a live lock.
     */
    checkLockMs: Math.max(5_000, Math.min(30_000, Math.floor(env.STATE_POLL_INTERVAL_MS / 2))),
    /**
     * New alerts wait this long for others in the same chat: instances dropping together (their
     * checks are spread over the interval) share one message. At most 10 s more before an alert.
     */
    alertGatherMs: Math.min(10_000, env.STATE_POLL_INTERVAL_MS),
    /**
     * A bad state seen once is checked again this soon (two checks in a row guard against a
     * flap), so a logout is alerted within about one interval, not two: a sixth of it, 10 s at
     * most. 0 (none) below a 6 s interval, where the next regular check comes as soon.
     */
    confirmRecheckMs:
      env.STATE_POLL_INTERVAL_MS >= 6_000
        ? Math.min(10_000, Math.floor(env.STATE_POLL_INTERVAL_MS / 6))
        : 0,
    /** Shard jobs one worker runs at once: each waits on up to 50 checks of one timeout. */
    checkConcurrency: 8,
    /** /status answers within this even when GREEN-API hangs (per call). */
    statusTimeoutMs: Math.min(env.GREEN_API_TIMEOUT_MS, 5_000),
  };
}

export type DerivedSettings = ReturnType<typeof derivedSettings>;
