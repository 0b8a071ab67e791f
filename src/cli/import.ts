// `seatkeeper import`: the CSV import straight against the configured database, acting as
// the operator. Progress goes to stderr, the summary and row errors to stdout; the exit
// code is 1 when the file has errors (nothing was written then).
import { DomainError } from "../domain/errors.js";
import { errorDetail, fieldMessage } from "../domain/messages.js";
import type { Db } from "../store/database.js";
import { findAccount } from "../store/account.repository.js";
import type { Principal } from "../services/context.js";
import type { ImportProgress } from "../domain/shapes.js";
import { importUsers, readImport } from "../services/user-import.service.js";

const OPERATOR: Principal = { kind: "operator", tokenId: "cli" };

function progressLine(p: ImportProgress): string {
  const percent = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
  return `${p.phase} ${p.done}/${p.total} (${percent} %)`;
}

export async function runImport(db: Db, text: string, accountId: string, dryRun: boolean): Promise<number> {
  if (!(await findAccount(db, accountId))) {
    console.error(`seatkeeper: no account ${accountId}`);
    return 1;
  }
  const tty = process.stderr.isTTY;
  let last = "";
  const onProgress = (p: ImportProgress) => {
    const line = progressLine(p);
    if (line === last) return;
    last = line;
    process.stderr.write(tty ? `\r${line.padEnd(40)}` : `${line}\n`);
  };
  try {
    const file = readImport(text, OPERATOR);
    const result = await importUsers(db, OPERATOR, accountId, file, { dryRun, lang: "en", onProgress });
    if (tty) process.stderr.write("\n");
    const counts = `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`;
    if (result.errors.length > 0) console.log(`Not imported, nothing was written. The file would give: ${counts}.`);
    else console.log(dryRun ? `Dry run, nothing was written: ${counts}.` : `Imported: ${counts}.`);
    for (const e of result.errors) console.log(`row ${e.row}, ${e.field}: ${e.message}`);
    if (result.errors.length > 0) console.log(`${result.errors.length} error(s).`);
    return result.errors.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`seatkeeper: ${errorDetail(error.code, error.params, "en")}`);
    for (const e of error.errors) console.error(`${e.field}: ${fieldMessage(e.key, e.params ?? {}, "en", e.key)}`);
    return 1;
  }
}
