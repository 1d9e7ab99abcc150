const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The business date (Asia/Shanghai calendar day) of an instant, as YYYY-MM-DD.
 *
 * @example shanghaiDay(new Date('2026-11-27T17:00:00Z')) === '2026-11-28'
 */
export function shanghaiDay(at: Date): string {
  return shanghaiDate.format(at);
}
