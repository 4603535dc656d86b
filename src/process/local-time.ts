const pad = (value: number): string => String(value).padStart(2, "0");

/** `2024-11-30 21:00:01` in the machine's local time, as the seed's watchdog wrote it: the log, alerts and `history` show times alike. */
export function formatLocalTime(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `12:00:41` when `at` falls on the same local day as `now`, else the whole `2024-11-30 21:00:01`: when something ends. */
export function formatLocalClock(at: number, now: number): string {
  const full = formatLocalTime(at);
  return full.slice(0, 10) === formatLocalTime(now).slice(0, 10) ? full.slice(11) : full;
}
