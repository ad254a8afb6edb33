/**
 * One CSV cell. Text that a spreadsheet would run as a formula (starting =, +, -, @, a tab or a
 * carriage return, or any of these after leading spaces or line breaks, which some spreadsheets
 * trim) is prefixed with an apostrophe so it is shown, not executed.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[\s]*[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
