// Import users from a CSV file: choose a file, see a dry run (what would be created,
// updated or left unchanged, and every row error), then import with a progress bar.
import { useState } from "react";
import { errorText, importUsersCsv, type ImportProgress, type ImportResult } from "../api";
import { useI18n } from "../i18n";
import { Dialog, ErrorMessage, FileInput, SuccessMessage } from "./ui";

const EXAMPLE = `email,name,role,seats,password
jeanne@example.com,Jeanne Dupont,agent,remote-support-v5:concurrent,
marc@example.com,Marc Petit,manager,service-desk:named;remote-support:concurrent,`;

type Stage =
  | { kind: "pick" }
  | { kind: "checking"; progress: ImportProgress | null }
  | { kind: "checked"; result: ImportResult }
  | { kind: "importing"; progress: ImportProgress | null }
  | { kind: "failed"; error: string };

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (result: ImportResult) => void }) {
  const { t, formatNumber } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: "pick" });
  // The help folds away once a file is chosen, so that the dry run is in view.
  const [helpOpen, setHelpOpen] = useState(false);
  const busy = stage.kind === "checking" || stage.kind === "importing";

  const check = async (chosen: File) => {
    setStage({ kind: "checking", progress: null });
    try {
      const result = await importUsersCsv(chosen, true, (progress) => setStage({ kind: "checking", progress }));
      setStage({ kind: "checked", result });
    } catch (e) {
      setStage({ kind: "failed", error: errorText(e) });
    }
  };

  const runImport = async () => {
    if (!file) return;
    setStage({ kind: "importing", progress: null });
    try {
      const result = await importUsersCsv(file, false, (progress) => setStage({ kind: "importing", progress }));
      // Someone changed the account since the dry run: show what now stands in the way.
      if (result.errors.length > 0) setStage({ kind: "checked", result });
      else onImported(result);
    } catch (e) {
      setStage({ kind: "failed", error: errorText(e) });
    }
  };

  const result = stage.kind === "checked" ? stage.result : null;
  const ready = result !== null && result.errors.length === 0 && result.created + result.updated > 0;
  const progress = stage.kind === "checking" || stage.kind === "importing" ? stage.progress : null;

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
          <button type="button" className="button button-primary" onClick={() => void runImport()} disabled={!ready || busy}>
            {stage.kind === "importing" ? t.importing : result && ready ? t.importCount(result.created + result.updated) : t.importAction}
          </button>
        </>
      }
    >
      <div className="import">
        <details className="import-help" open={helpOpen} onToggle={(event) => setHelpOpen(event.currentTarget.open)}>
          <summary>{t.importFormatTitle}</summary>
          <pre className="import-example" aria-label={t.importExample}>
            {EXAMPLE}
          </pre>
          <ul>
            {t.importFormatRules.map((rule) => (
              <li key={rule}>{rule}</li>
            ))}
          </ul>
        </details>

        <div className="field">
          <label htmlFor="import-file">{t.importFile}</label>
          <FileInput
            id="import-file"
            accept=".csv,text/csv"
            disabled={busy}
            data-autofocus
            aria-describedby="import-file-help"
            onFile={(chosen) => {
              setFile(chosen);
              setHelpOpen(false);
              if (chosen) void check(chosen);
              else setStage({ kind: "pick" });
            }}
          />
          <p className="field-help" id="import-file-help">
            {t.importFileHelp}
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
            </dl>
            {result.errors.length === 0 ? (
              result.created + result.updated > 0 ? (
                <SuccessMessage>{t.importReady}</SuccessMessage>
              ) : (
                <SuccessMessage>{t.importNothingToDo}</SuccessMessage>
              )
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
