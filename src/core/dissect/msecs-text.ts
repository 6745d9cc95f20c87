// Wireshark's time_msecs_to_str, the text of a duration in milliseconds that several protocols
// show (browser announcement periods, SMB timeouts, sFlow uptimes, ICMP lifetimes and
// timestamps): "1 hour, 2 minutes, 3.004 seconds".

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** `ms` is read as a signed 32-bit count, as Wireshark's gint32 argument (0xffffffff is "0.001 seconds"). */
export function msecsText(ms: number): string {
  ms |= 0;
  if (ms === 0) return '0 seconds';
  // Wireshark drops the sign when less than a second is left to carry it.
  if (ms < 0) return -ms < 1000 ? msecsText(-ms) : '-' + msecsText(-ms);
  const msec = ms % 1000;
  let s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  s %= 86400;
  const hours = Math.floor(s / 3600);
  s %= 3600;
  const minutes = Math.floor(s / 60);
  s %= 60;
  let text = '';
  if (days) text = plural(days, 'day');
  if (hours) text += (text ? ', ' : '') + plural(hours, 'hour');
  if (minutes) text += (text ? ', ' : '') + plural(minutes, 'minute');
  if (s || msec) {
    text += (text ? ', ' : '') + (msec ? `${s}.${String(msec).padStart(3, '0')} seconds` : plural(s, 'second'));
  }
  return text;
}
