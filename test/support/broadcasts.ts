/** Helpers for broadcast tests. */

/**
 * Quiet hours that begin two hours from now and last one hour (Asia/Shanghai), so a test that
 * sends a broadcast is not held by the default 21:00–08:00 whatever the time of day it runs.
 */
export function outsideQuietHours(now = new Date()): { QUIET_HOURS_START: string; QUIET_HOURS_END: string } {
  const hour = (now.getUTCHours() + 8) % 24;
  const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return { QUIET_HOURS_START: at(hour + 2), QUIET_HOURS_END: at(hour + 3) };
}
