// RFC 4180 CSV, read strictly enough to say where a file goes wrong: UTF-8 with an
// optional BOM, CRLF or LF line ends, fields quoted with "…" and "" for a quote inside.
// The delimiter is a comma, or a semicolon (what Excel saves where the comma is the
// decimal separator, as in French).

export type CsvDelimiter = "," | ";";

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; key: "csvUnclosedQuote" | "csvStrayQuote" };

export function parseCsv(text: string, delimiter: CsvDelimiter = ","): CsvResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = input.length;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  /** Whether the current record has anything, even an empty quoted field: a blank line is no record. */
  let started = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endRecord = () => {
    if (started) records.push({ line: recordLine, fields: [...fields, field] });
    fields = [];
    field = "";
    started = false;
  };

  while (i < n) {
    const c = input[i];
    if (c === '"') {
      if (field !== "") return { ok: false, line, key: "csvStrayQuote" };
      const opened = line;
      started = true;
      i++;
      for (;;) {
        if (i >= n) return { ok: false, line: opened, key: "csvUnclosedQuote" };
        const q = input[i];
        if (q === '"' && input[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (q === '"') {
          i++;
          break;
        } else {
          if (q === "\n") line++;
          field += q;
          i++;
        }
      }
      if (i < n && input[i] !== delimiter && input[i] !== "\n" && input[i] !== "\r") return { ok: false, line, key: "csvStrayQuote" };
    } else if (c === delimiter) {
      fields.push(field);
      field = "";
      started = true;
      i++;
    } else if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      started = true;
      i++;
    }
  }
  endRecord();
  return { ok: true, records };
}

/**
 * The delimiter of a file, read from its first line: a semicolon when that line has
 * semicolons and no comma outside quotes, else a comma.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c === ",") commas++;
    else if (!quoted && c === ";") semicolons++;
  }
  return semicolons > 0 && commas === 0 ? ";" : ",";
}
