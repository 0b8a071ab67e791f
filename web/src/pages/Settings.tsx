// Settings (admins): the account's name and seat timeouts, and SCIM tokens.
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, errorText, type Account, type AccountSettings, type NewScimToken, type Page, type ScimToken } from "../api";
import { useAuth } from "../auth";
import { useI18n } from "../i18n";
import { Dialog, EmptyState, ErrorMessage, Field, LoadError, Loading, PageHeader, Reason, SuccessMessage } from "../components/ui";

const LIMITS: Record<keyof AccountSettings, [number, number]> = {
  leaseTtlSeconds: [5, 3600],
  pendingTimeoutSeconds: [5, 86400],
  endedCooldownSeconds: [0, 3600],
};

export function SettingsPage() {
  const { t } = useI18n();
  const { isAdmin } = useAuth();
  return (
    <div className="page">
      <PageHeader title={t.navSettings} subtitle={t.settingsSub} />
      {isAdmin ? (
        <>
          <AccountSettingsForm />
          <ScimTokens />
        </>
      ) : (
        <section className="card card-padded">
          <Reason>{t.adminOnlySettings}</Reason>
        </section>
      )}
    </div>
  );
}

function AccountSettingsForm() {
  const { t } = useI18n();
  const [account, setAccount] = useState<Account | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<keyof AccountSettings, string>>({ leaseTtlSeconds: "", pendingTimeoutSeconds: "", endedCooldownSeconds: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [touched, setTouched] = useState(false);

  const fill = (a: Account) => {
    setAccount(a);
    setName(a.name);
    setValues({
      leaseTtlSeconds: String(a.settings.leaseTtlSeconds),
      pendingTimeoutSeconds: String(a.settings.pendingTimeoutSeconds),
      endedCooldownSeconds: String(a.settings.endedCooldownSeconds),
    });
  };

  const load = () => {
    setLoadError(null);
    api<Account>("/account")
      .then(fill)
      .catch((e) => setLoadError(errorText(e)));
  };
  useEffect(load, []);

  const invalid = (key: keyof AccountSettings): string | null => {
    const [min, max] = LIMITS[key];
    const v = values[key].trim();
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) return t.outOfRange(min, max);
    return null;
  };
  const keys = Object.keys(LIMITS) as (keyof AccountSettings)[];
  const anyInvalid = keys.some((k) => invalid(k) !== null) || !name.trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (anyInvalid || !account) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const settings = Object.fromEntries(keys.map((k) => [k, Number(values[k])]));
      const updated = await api<Account>("/account", { method: "PATCH", body: { name: name.trim(), settings } });
      fill(updated);
      setSaved(true);
      setTouched(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const fieldError = (key: keyof AccountSettings) => apiError?.fieldError(key) ?? (touched || values[key] !== "" ? invalid(key) : null);
  const labels: Record<keyof AccountSettings, { label: string; help: string }> = {
    leaseTtlSeconds: { label: t.leaseTtl, help: t.leaseTtlHelp },
    pendingTimeoutSeconds: { label: t.pendingTimeout, help: t.pendingTimeoutHelp },
    endedCooldownSeconds: { label: t.cooldown, help: t.cooldownHelp },
  };

  return (
    <section className="card card-padded settings-section" aria-labelledby="account-heading">
      <div className="settings-head">
        <h2 id="account-heading" className="card-title">
          {t.accountSection}
        </h2>
        <p className="card-sub">{t.accountSub}</p>
      </div>
      <div className="settings-body">
        {loadError ? (
          <LoadError message={loadError} onRetry={load} />
        ) : !account ? (
          <Loading />
        ) : (
          <form className="form settings-form" onSubmit={submit} noValidate>
            <Field label={t.accountName} htmlFor="account-name" error={apiError?.fieldError("name")}>
              <input id="account-name" required maxLength={200} value={name} onChange={(e) => { setName(e.target.value); setSaved(false); }} />
            </Field>
            <h3 className="form-section-title">{t.seatTimeouts}</h3>
            {keys.map((key) => (
              <Field key={key} label={labels[key].label} htmlFor={`setting-${key}`} help={labels[key].help} error={fieldError(key)}>
                <div className="input-unit">
                  <input
                    id={`setting-${key}`}
                    type="number"
                    inputMode="numeric"
                    min={LIMITS[key][0]}
                    max={LIMITS[key][1]}
                    step={1}
                    value={values[key]}
                    aria-invalid={fieldError(key) ? true : undefined}
                    aria-describedby={fieldError(key) ? `setting-${key}-error` : `setting-${key}-help`}
                    onChange={(e) => {
                      setValues({ ...values, [key]: e.target.value });
                      setSaved(false);
                    }}
                  />
                  <span className="unit">{t.secondsUnit}</span>
                </div>
              </Field>
            ))}
            {error !== null && !keys.some((k) => apiError?.fieldError(k)) && <ErrorMessage>{errorText(error)}</ErrorMessage>}
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? t.saving : t.saveSettings}
              </button>
              {saved && <SuccessMessage>{t.settingsSaved}</SuccessMessage>}
            </div>
          </form>
        )}
      </div>
    </section>
  );
}

function ScimTokens() {
  const { t, formatDateTime } = useI18n();
  const [tokens, setTokens] = useState<ScimToken[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<NewScimToken | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);

  const load = async () => {
    setLoadError(null);
    try {
      const all: ScimToken[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ScimToken> = await api<Page<ScimToken>>("/scim-tokens", { query: { cursor } });
        all.push(...page.items);
        cursor = page.nextCursor ?? null;
      } while (cursor);
      setTokens(all);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setUnavailable(true);
      else setLoadError(errorText(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  // Arriving from the Groups page's "Settings → SCIM tokens": bring the section into view.
  const loaded = tokens !== null;
  useEffect(() => {
    if (loaded && window.location.hash === "#scim") document.getElementById("scim")?.scrollIntoView({ block: "start" });
  }, [loaded]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setCreateError(null);
    setCopied(false);
    try {
      const token = await api<NewScimToken>("/scim-tokens", { method: "POST", body: { name: name.trim() } });
      setCreated(token);
      setName("");
      setTokens((current) => [{ id: token.id, name: token.name, createdAt: token.createdAt, lastUsedAt: null }, ...(current ?? []).filter((x) => x.id !== token.id)]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setUnavailable(true);
      else setCreateError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created?.token) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      // Clipboard access refused (e.g. not a secure context): the token stays selectable.
      const field = document.getElementById("scim-new-token") as HTMLInputElement | null;
      field?.select();
    }
  };

  const scimUrl = `${window.location.origin}/scim/v2`;

  return (
    <section id="scim" className="card card-padded settings-section" aria-labelledby="scim-heading">
      <div className="settings-head">
        <h2 id="scim-heading" className="card-title">
          {t.scimSection}
        </h2>
        <p className="card-sub">{t.scimSub}</p>
      </div>
      <div className="settings-body">
        {unavailable ? (
          <p className="message message-info">{t.scimUnavailable}</p>
        ) : loadError ? (
          <LoadError message={loadError} onRetry={() => void load()} />
        ) : tokens === null ? (
          <Loading />
        ) : (
          <>
            <div className="field">
              <label htmlFor="scim-url">{t.scimBaseUrl}</label>
              <input id="scim-url" readOnly value={scimUrl} className="mono" onFocus={(e) => e.target.select()} />
            </div>
            {created?.token && (
              <div className="callout callout-success" role="status">
                <div className="callout-grow">
                  <p className="callout-title">{t.tokenCreated(created.name)}</p>
                  <p>{t.tokenOnce}</p>
                  <div className="token-row">
                    <input id="scim-new-token" readOnly value={created.token} className="mono" aria-label={t.tokenCreated(created.name)} onFocus={(e) => e.target.select()} />
                    <button type="button" className="button button-secondary" onClick={() => void copy()}>
                      {copied ? t.copied : t.copy}
                    </button>
                  </div>
                </div>
              </div>
            )}
            <form className="inline-form" onSubmit={create}>
              <div className="field">
                <label htmlFor="scim-token-name">{t.tokenName}</label>
                <input id="scim-token-name" maxLength={100} placeholder={t.tokenNamePlaceholder} value={name} onChange={(e) => setName(e.target.value)} />
              </div>
              <button type="submit" className="button button-primary" disabled={busy || !name.trim()}>
                {busy ? t.saving : t.createToken}
              </button>
            </form>
            <ErrorMessage>{createError}</ErrorMessage>
            {tokens.length === 0 ? (
              <EmptyState title={t.tokensEmpty} icon="list" />
            ) : (
              <div className="table-wrap">
                <table className="table table-responsive" aria-label={t.scimSection}>
                  <thead>
                    <tr>
                      <th scope="col">{t.colName}</th>
                      <th scope="col">{t.colCreated}</th>
                      <th scope="col">{t.colLastUsed}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t.colActions}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {tokens.map((token) => (
                      <tr key={token.id}>
                        <td data-label={t.colName}>{token.name}</td>
                        <td data-label={t.colCreated} className="col-half">{formatDateTime(token.createdAt)}</td>
                        <td data-label={t.colLastUsed} className="col-half">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="muted">{t.never}</span>}</td>
                        <td className="col-actions">
                          <button type="button" className="button button-ghost-danger button-small" aria-label={t.revokeTokenNamed(token.name)} onClick={() => setRevoking(token)}>
                            {t.revoke}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </div>
      {revoking && (
        <RevokeTokenDialog
          token={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setTokens((current) => (current ?? []).filter((x) => x.id !== revoking.id));
            if (created?.id === revoking.id) setCreated(null);
            setRevoking(null);
          }}
        />
      )}
    </section>
  );
}

function RevokeTokenDialog({ token, onClose, onRevoked }: { token: ScimToken; onClose: () => void; onRevoked: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/scim-tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      onRevoked();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t.revokeTokenTitle(token.name)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy} data-autofocus>
            {t.cancel}
          </button>
          <button type="button" className="button button-danger" onClick={() => void revoke()} disabled={busy}>
            {t.revoke}
          </button>
        </>
      }
    >
      <p>{t.revokeTokenBody}</p>
      <ErrorMessage>{error}</ErrorMessage>
    </Dialog>
  );
}
