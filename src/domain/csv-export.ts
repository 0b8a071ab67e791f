// Writing CSV for spreadsheets (RFC 4180 quoting). A cell that a spreadsheet would read as a
// formula (=, +, -, @, tab, carriage return first) is prefixed with an apostrophe: audit
// rows carry names and notes that users typed.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLines(header: readonly string[], rows: unknown[][]): string {
  return `${[header.map(csvCell).join(","), ...rows.map((row) => row.map(csvCell).join(","))].join("\r\n")}\r\n`;
}
