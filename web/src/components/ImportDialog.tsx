// Import users from a CSV file: choose a file and whether its seats add to what users
// hold or are their complete set, see a dry run (every change per user, and a warning
// before any seat is taken away), then import with a progress bar.
import { useMemo, useState } from "react";
import { errorText, importUsersCsv, type ImportChange, type ImportProgress, type ImportResult, type SeatsMode } from "../api";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { Dialog, ErrorMessage, SuccessMessage } from "./ui";
import "../users.css";

const EXAMPLE = `email,name,role,seats,password
jeanne@example.com,Jeanne Dupont,agent,remote-support-v5:concurrent,
marc@example.com,Marc Petit,manager,service-desk:named;remote-support:concurrent,`;

/** Changes listed in the dialog; the counts above cover the whole file. */
const SHOWN_CHANGES = 200;

type Stage =
  | { kind: "pick" }
  | { kind: "checking"; progress: ImportProgress | null }
  | { kind: "checked"; result: ImportResult }
  | { kind: "importing"; progress: ImportProgress | null }
  | { kind: "failed"; error: string };

/**
 * The file as UTF-8. Excel's plain "CSV" saves Windows-1252 in Western Europe: a file that
 * is not valid UTF-8 is read as that, so accented names arrive intact.
 */
async function asUtf8(file: File): Promise<Blob> {
  const bytes = await file.arrayBuffer();
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return file;
  } catch {
    return new Blob([new TextDecoder("windows-1252").decode(bytes)], { type: "text/csv" });
  }
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (result: ImportResult) => void }) {
  const { t, lang, formatNumber } = useI18n();
  const { subscription, products } = useData();
  const [file, setFile] = useState<Blob | null>(null);
  const [mode, setMode] = useState<SeatsMode>("add");
  const [stage, setStage] = useState<Stage>({ kind: "pick" });
  // The help folds away once a file is chosen, so that the dry run is in view.
  const [helpOpen, setHelpOpen] = useState(false);
  const busy = stage.kind === "checking" || stage.kind === "importing";

  const check = async (chosen: Blob, seats: SeatsMode) => {
    setStage({ kind: "checking", progress: null });
    try {
      const result = await importUsersCsv(chosen, true, seats, (progress) => setStage({ kind: "checking", progress }));
      setStage({ kind: "checked", result });
    } catch (e) {
      setStage({ kind: "failed", error: errorText(e) });
    }
  };

  const runImport = async () => {
    if (!file) return;
    setStage({ kind: "importing", progress: null });
    try {
      const result = await importUsersCsv(file, false, mode, (progress) => setStage({ kind: "importing", progress }));
      // Someone changed the account since the dry run: show what now stands in the way.
      if (result.errors.length > 0) setStage({ kind: "checked", result });
      else onImported(result);
    } catch (e) {
      setStage({ kind: "failed", error: errorText(e) });
    }
  };

  // A template with the account's own products; in French, ";"-separated with a BOM, as
  // Excel opens it in one click there.
  const template = useMemo(() => {
    const slugs = (subscription?.map((line) => line.product) ?? products.map((p) => p.slug)).slice(0, 2);
    const sep = lang === "fr" ? ";" : ",";
    const seats = (list: string[]) => (lang === "fr" && list.length > 1 ? `"${list.join(";")}"` : list.join(";"));
    const rows = [
      ["email", "name", "role", "seats", "password"],
      ["jeanne.dupont@example.com", "Jeanne Dupont", "agent", seats(slugs.slice(0, 1).map((s) => `${s}:concurrent`)), ""],
      ["marc.petit@example.com", "Marc Petit", "manager", seats(slugs.map((s, i) => `${s}:${i === 0 ? "named" : "concurrent"}`)), ""],
    ];
    return `\uFEFF${rows.map((r) => r.join(sep)).join("\r\n")}\r\n`;
  }, [subscription, products, lang]);
  const downloadTemplate = () => {
    const url = URL.createObjectURL(new Blob([template], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = t.importTemplateFile;
    a.click();
    URL.revokeObjectURL(url);
  };

  const result = stage.kind === "checked" ? stage.result : null;
  const ready = result !== null && result.errors.length === 0 && result.created + result.updated > 0;
  const progress = stage.kind === "checking" || stage.kind === "importing" ? stage.progress : null;
  const revoked = result?.seatsRevoked ?? 0;
  const importLabel =
    stage.kind === "importing" ? t.importing : result && ready ? (revoked > 0 ? t.importAndRevoke(result.created + result.updated, revoked) : t.importCount(result.created + result.updated)) : t.importAction;

  return (
    <Dialog
      title={t.importTitle}
      onClose={onClose}
      busy={busy}
      wide
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="button" className={`button ${revoked > 0 ? "button-danger" : "button-primary"}`} onClick={() => void runImport()} disabled={!ready || busy}>
            {importLabel}
          </button>
        </>
      }
    >
      <div className="import">
        <div className="import-top">
          <details className="import-help" open={helpOpen} onToggle={(event) => setHelpOpen(event.currentTarget.open)}>
            <summary>{t.importFormatTitle}</summary>
            <pre className="import-example" aria-label={t.importExample}>
              {EXAMPLE}
            </pre>
            <ul>
              {t.importFormatRules.map((rule) => (
                <li key={rule}>{rule}</li>
              ))}
              <li>{t.importSemicolonRule}</li>
            </ul>
          </details>
          <button type="button" className="button button-secondary button-small" onClick={downloadTemplate}>
            <svg viewBox="0 0 20 20" width="15" height="15" aria-hidden="true">
              <path d="M10 3v9M6 8.5l4 4 4-4M4 14.5v1.5a1 1 0 001 1h10a1 1 0 001-1v-1.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {t.importTemplate}
          </button>
        </div>

        <fieldset className="fieldset import-mode">
          <legend>{t.importModeLabel}</legend>
          {(["add", "replace"] as const).map((m) => (
            <label key={m} className="check import-mode-option">
              <input
                type="radio"
                name="import-mode"
                value={m}
                checked={mode === m}
                disabled={busy}
                onChange={() => {
                  setMode(m);
                  if (file) void check(file, m);
                }}
              />
              <span>
                <strong>{t.importModes[m]}</strong>
                <span className="field-help">{t.importModeHelp[m]}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <div className="field">
          <label htmlFor="import-file">{t.importFile}</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            data-autofocus
            aria-describedby="import-file-help"
            onChange={async (event) => {
              const chosen = event.target.files?.[0] ?? null;
              setHelpOpen(false);
              if (!chosen) {
                setFile(null);
                setStage({ kind: "pick" });
                return;
              }
              const text = await asUtf8(chosen);
              setFile(text);
              void check(text, mode);
            }}
          />
          <p className="field-help" id="import-file-help">
            {t.importFileHelpSemicolon}
          </p>
        </div>

        {busy && (
          <div className="import-progress">
            <div className="import-progress-label">
              <span>{progress ? t.importPhases[progress.phase] : stage.kind === "checking" ? t.importChecking : t.importing}</span>
              {progress && progress.total > 0 && (
                <span className="muted">
                  {formatNumber(progress.done)} / {formatNumber(progress.total)}
                </span>
              )}
            </div>
            <div
              className="progress"
              role="progressbar"
              aria-label={t.importProgress}
              aria-valuemin={0}
              aria-valuemax={progress?.total || 100}
              aria-valuenow={progress?.done ?? 0}
            >
              <div className="progress-fill" style={{ width: `${progress && progress.total > 0 ? (progress.done / progress.total) * 100 : 0}%` }} />
            </div>
          </div>
        )}

        {stage.kind === "failed" && <ErrorMessage>{stage.error}</ErrorMessage>}

        {result && (
          <section aria-label={t.importPreview} className="import-preview">
            <h3>{t.importPreview}</h3>
            <dl className="import-counts">
              <div>
                <dt>{t.importCreated}</dt>
                <dd>{formatNumber(result.created)}</dd>
              </div>
              <div>
                <dt>{t.importUpdated}</dt>
                <dd>{formatNumber(result.updated)}</dd>
              </div>
              <div>
                <dt>{t.importUnchanged}</dt>
                <dd>{formatNumber(result.unchanged)}</dd>
              </div>
              <div className={revoked > 0 ? "import-count-danger" : undefined}>
                <dt>{t.importRevoked}</dt>
                <dd>{formatNumber(revoked)}</dd>
              </div>
            </dl>
            {result.errors.length === 0 ? (
              <>
                {revoked > 0 && (
                  <div className="message message-warning" role="alert">
                    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
                      <path d="M10 3l8 14H2z" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinejoin="round" />
                      <path d="M10 8v4M10 14.5v.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
                    </svg>
                    <span>{t.importRevokeWarning(revoked, result.changes?.filter((c) => c.revoked.length > 0).length ?? 0, result.sessionsEnded ?? 0)}</span>
                  </div>
                )}
                {revoked === 0 && <SuccessMessage>{result.created + result.updated > 0 ? t.importReady : t.importNothingToDo}</SuccessMessage>}
                {result.changes && result.changes.length > 0 && <ChangeList changes={result.changes} />}
              </>
            ) : (
              <>
                <ErrorMessage>{t.importHasErrors(result.errors.length)}</ErrorMessage>
                <div className="table-wrap import-errors">
                  <table className="table import-errors-table" aria-label={t.importErrors}>
                    <thead>
                      <tr>
                        <th scope="col">{t.importRow}</th>
                        <th scope="col">{t.importColumn}</th>
                        <th scope="col">{t.importProblem}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.errors.map((e) => (
                        <tr key={`${e.row}:${e.field}:${e.message}`}>
                          <td>{e.row}</td>
                          <td>
                            <code>{e.field}</code>
                          </td>
                          <td>{e.message}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
        )}
      </div>
    </Dialog>
  );
}

/** Every user the import changes: revocations first (what an admin must not miss), then file order. */
function ChangeList({ changes }: { changes: ImportChange[] }) {
  const { t, seatLabel, formatNumber } = useI18n();
  const { productName } = useData();
  const ordered = useMemo(() => [...changes].sort((a, b) => Number(b.revoked.length > 0) - Number(a.revoked.length > 0) || a.row - b.row), [changes]);
  const shown = ordered.slice(0, SHOWN_CHANGES);
  const seat = (product: string, type: string) => seatLabel(productName(product), type);
  return (
    <div className="table-wrap import-changes">
      <table className="table import-changes-table" aria-label={t.importChanges}>
        <thead>
          <tr>
            <th scope="col">{t.importRow}</th>
            <th scope="col">{t.colUser}</th>
            <th scope="col">{t.importWhatChanges}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.row} className={c.revoked.length > 0 ? "import-change-revokes" : undefined}>
              <td>{c.row}</td>
              <td>
                <div className="user-name">{c.name}</div>
                <div className="user-email">{c.email}</div>
              </td>
              <td>
                <ul className="change-list">
                  {c.kind === "create" && <li className="change change-new">{t.importNewUser(t.roles[c.role?.to ?? "agent"] ?? c.role?.to ?? "")}</li>}
                  {c.kind === "update" && c.role && <li className="change">{t.importRoleChange(t.roles[c.role.from ?? ""] ?? c.role.from ?? "", t.roles[c.role.to] ?? c.role.to)}</li>}
                  {c.changed
                    .filter((f) => f !== "role")
                    .map((f) => (
                      <li key={f} className="change">
                        {t.importFieldChange[f] ?? f}
                      </li>
                    ))}
                  {c.granted.map((g) => (
                    <li key={`+${g.product}`} className="change change-grant">
                      {g.previous ? t.importSeatSwitched(seat(g.product, g.previous), seat(g.product, g.type)) : t.importSeatGranted(seat(g.product, g.type))}
                      {g.previous === "named" && g.openSessions > 0 && <span className="change-note"> · {t.importSessionsMayEnd(g.openSessions)}</span>}
                    </li>
                  ))}
                  {c.revoked.map((v) => (
                    <li key={`-${v.product}`} className="change change-revoke">
                      {t.importSeatRevoked(seat(v.product, v.type))}
                      {v.openSessions > 0 && <strong className="change-note"> · {t.importSessionsEnd(v.openSessions)}</strong>}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ordered.length > shown.length && <p className="field-help import-more">{t.importMoreChanges(formatNumber(ordered.length - shown.length))}</p>}
    </div>
  );
}
