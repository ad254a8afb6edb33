/**
 * Survey dates are days in the UK: a survey that "closes on 31 March" takes answers until midnight
 * in London, whether that is GMT or British Summer Time.
 */
const TIME_ZONE = 'Europe/London';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** London's offset from UTC at an instant, in milliseconds (0 in winter, one hour in summer). */
function londonOffset(instant: number): number {
  const values = Object.fromEntries(parts.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(
    Number(values.year),
    Number(values.month) - 1,
    Number(values.day),
    Number(values.hour),
    Number(values.minute),
    Number(values.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a London wall-clock time happens. */
function londonInstant(day: string, hours: number, minutes: number, seconds: number, ms: number): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, date, hours, minutes, seconds, ms);
  const first = wall - londonOffset(wall);
  return new Date(wall - londonOffset(first));
}

/** Midnight at the start of a `YYYY-MM-DD` day in London. */
export const londonDayStart = (day: string): Date => londonInstant(day, 0, 0, 0, 0);

/** The last millisecond of a `YYYY-MM-DD` day in London. */
export const londonDayEnd = (day: string): Date => londonInstant(day, 23, 59, 59, 999);

/** The London calendar day of an instant, as `YYYY-MM-DD`. */
export function londonDay(instant: Date): string {
  const values = Object.fromEntries(parts.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${values.year}-${values.month}-${values.day}`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A definition's date: a full timestamp as written, or a whole London day (its start, or its end). */
export function definitionInstant(value: string, edge: 'start' | 'end'): Date {
  if (!DATE_ONLY.test(value)) return new Date(value);
  return edge === 'start' ? londonDayStart(value) : londonDayEnd(value);
}
