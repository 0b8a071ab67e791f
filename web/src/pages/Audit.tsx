// Audit log (admins): who did what, newest first, filtered by actor, action and dates,
// downloadable as CSV; details read in the admin's language and targets link to their page.
import { useEffect, useMemo, useState } from "react";
import { api, apiBlob, errorText, type AuditEntry, type Page, type User } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { Link, useQueryState } from "../router";
import { EmptyState, ErrorMessage, LoadError, Loading, PageHeader, Reason } from "../components/ui";

const PAGE_SIZE = 50;

/** A date input's day (local) as the instant it starts; `next` gives the following day's start. */
function dayStart(day: string, next = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + (next ? 1 : 0)).toISOString();
}

/** Where an audit entry's target is seen in the admin center. */
function targetLink(target: AuditEntry["target"]): string | null {
  switch (target.type) {
    case "user":
      return `/users/${encodeURIComponent(target.id)}`;
    case "group":
      return "/groups";
    case "product":
      return "/subscription";
    case "shared_session":
      return "/shared-sessions";
    case "account":
    case "scim_token":
      return "/settings";
    default:
      return null;
  }
}

export function AuditPage() {
  const { t } = useI18n();
  const { isAdmin } = useAuth();
  if (!isAdmin) {
    return (
      <div className="page">
        <PageHeader title={t.navAudit} subtitle={t.auditSub} />
        <section className="card card-padded">
          <Reason>{t.adminOnlyAudit}</Reason>
        </section>
      </div>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const { t, formatDateTime, formatRelative, formatDuration } = useI18n();
  const { productName } = useData();
  const [params, setParams] = useQueryState();
  const actor = params.get("actor") ?? "";
  const action = params.get("action") ?? "";
  const fromDay = params.get("from") ?? "";
  const toDay = params.get("to") ?? "";
  const [csvError, setCsvError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);

  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  const [actorText, setActorText] = useState("");
  const [suggestions, setSuggestions] = useState<User[]>([]);
  const [actorNames, setActorNames] = useState<Record<string, string>>({});

  const filters = useMemo(
    () => ({ actor: actor || undefined, action: action || undefined, from: dayStart(fromDay), to: dayStart(toDay, true) }),
    [actor, action, fromDay, toDay],
  );
  const query = useMemo(() => ({ ...filters, limit: PAGE_SIZE }), [filters]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api<Page<AuditEntry>>("/audit", { query, signal: controller.signal })
      .then((page) => {
        setEntries(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((e) => {
        if ((e as Error).name === "AbortError") return;
        setEntries([]);
        setNextCursor(null);
        setError(errorText(e));
        setLoading(false);
      });
    return () => controller.abort();
  }, [query, reloadKey]);

  // Show the chosen actor's name in the filter, also when the URL was shared.
  useEffect(() => {
    if (!actor) {
      setActorText("");
      return;
    }
    if (actorNames[actor]) {
      setActorText(actorNames[actor]);
      return;
    }
    api<User>(`/users/${encodeURIComponent(actor)}`)
      .then((u) => {
        setActorNames((names) => ({ ...names, [actor]: u.name }));
        setActorText(u.name);
      })
      .catch(() => setActorText(actor));
  }, [actor, actorNames]);

  // Suggest users as the admin types; choosing one filters by its id.
  useEffect(() => {
    const text = actorText.trim();
    if (!text || text === actorNames[actor]) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      api<Page<User>>("/users", { query: { q: text, limit: 8 } })
        .then((page) => setSuggestions(page.items))
        .catch(() => setSuggestions([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [actorText, actor, actorNames]);

  const chooseActor = (text: string) => {
    setActorText(text);
    const match = suggestions.find((u) => `${u.name} <${u.email ?? u.userName}>` === text || (u.email ?? u.userName)?.toLowerCase() === text.toLowerCase());
    if (match) {
      setActorNames((names) => ({ ...names, [match.id]: match.name }));
      setParams({ actor: match.id });
    } else if (!text.trim()) {
      setParams({ actor: undefined });
    }
  };

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api<Page<AuditEntry>>("/audit", { query: { ...query, cursor: nextCursor } });
      setEntries((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const download = async () => {
    setDownloading(true);
    setCsvError(null);
    try {
      const blob = await apiBlob("/audit", { query: filters, accept: "text/csv" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `audit${fromDay ? `-${fromDay}` : ""}${toDay ? `-${toDay}` : ""}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setCsvError(errorText(e));
    } finally {
      setDownloading(false);
    }
  };

  const knownActions = Object.keys(t.actions);
  const actionLabel = (a: string) => t.actions[a] ?? a;
  const filtered = Boolean(actor || action || fromDay || toDay);

  const describeValue = (key: string, value: unknown): string | null => {
    if (value === null || value === undefined || value === "") return null;
    if (key === "product" && typeof value === "string") return productName(value);
    if (typeof value === "boolean") return value ? t.yes : t.no;
    if (typeof value === "number" && /Seconds$/.test(key)) return formatDuration(value);
    if (typeof value === "string" && /At$/.test(key) && !Number.isNaN(Date.parse(value))) return formatDateTime(value);
    if (typeof value === "string") {
      if (key === "type" || key === "previous" || key === "granted") return t.seatTypes[value] ?? value;
      if (key === "role") return t.roles[value] ?? value;
      if (key === "reason") return t.auditReasons[value] ?? value;
      if (key === "source") return t.auditSources[value] ?? value;
      if (key === "code") return t.auditCodes[value] ?? value;
    }
    if (Array.isArray(value) && key === "privileges") return value.length === 0 ? "—" : value.map((v) => t.privileges[String(v)] ?? String(v)).join(", ");
    if (Array.isArray(value) && key === "changed") return value.map((v) => t.auditKeys[String(v)] ?? String(v)).join(", ");
    if (Array.isArray(value)) return value.length === 0 ? "—" : value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ");
    if (typeof value === "object") {
      const v = value as Record<string, unknown>;
      if ("from" in v && "to" in v) return `${describeValue(key, v.from) ?? "—"} → ${describeValue(key, v.to) ?? "—"}`;
      return JSON.stringify(value);
    }
    return String(value);
  };

  // Ids are for machines: a list of ids shows as a count, a single id not at all.
  const describeDetails = (entry: AuditEntry) =>
    Object.entries(entry.details ?? {})
      .map(([key, raw]) => {
        if (/Ids$/.test(key) && Array.isArray(raw)) return { key: t.auditKeys[key.replace(/Ids$/, "s")] ?? key.replace(/Ids$/, "s"), value: String(raw.length) };
        if (/Id$/.test(key)) return null;
        const value = describeValue(key, raw);
        return value === null ? null : { key: t.auditKeys[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(), value };
      })
      .filter((d): d is { key: string; value: string } => d !== null);

  return (
    <div className="page">
      <PageHeader title={t.navAudit} subtitle={t.auditSub} />
      <section className="card">
        <div className="filters" role="search">
          <div className="field field-search">
            <label htmlFor="audit-actor">{t.actorFilter}</label>
            <input
              id="audit-actor"
              type="search"
              list="audit-actor-options"
              placeholder={t.actorPlaceholder}
              value={actorText}
              autoComplete="off"
              onChange={(e) => chooseActor(e.target.value)}
            />
            <datalist id="audit-actor-options">
              {suggestions.map((u) => (
                <option key={u.id} value={`${u.name} <${u.email ?? u.userName}>`} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="audit-action">{t.actionFilter}</label>
            <select id="audit-action" value={action} onChange={(e) => setParams({ action: e.target.value || undefined })}>
              <option value="">{t.anyAction}</option>
              {knownActions.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
              {action && !knownActions.includes(action) && <option value={action}>{action}</option>}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t.auditFrom}</label>
            <input id="audit-from" type="date" value={fromDay} max={toDay || undefined} onChange={(e) => setParams({ from: e.target.value || undefined })} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t.auditTo}</label>
            <input id="audit-to" type="date" value={toDay} min={fromDay || undefined} onChange={(e) => setParams({ to: e.target.value || undefined })} />
          </div>
          {filtered && (
            <button
              type="button"
              className="button button-link filters-clear"
              onClick={() => setParams({ actor: undefined, action: undefined, from: undefined, to: undefined })}
            >
              {t.clearFilters}
            </button>
          )}
          <button type="button" className="button button-secondary filters-end" onClick={() => void download()} disabled={downloading}>
            <svg viewBox="0 0 20 20" width="15" height="15" aria-hidden="true">
              <path d="M10 3v10M5.5 9l4.5 4.5L14.5 9M4 17h12" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {t.downloadCsv}
          </button>
        </div>
        {csvError && <ErrorMessage>{csvError}</ErrorMessage>}
        {error && <LoadError message={error} onRetry={() => setReloadKey((k) => k + 1)} />}
        {loading ? (
          <Loading />
        ) : entries.length === 0 && !error ? (
          <EmptyState title={t.auditEmpty} icon="list" />
        ) : (
          entries.length > 0 && (
            <div className="table-wrap">
              <table className="table table-responsive audit-table" aria-label={t.navAudit}>
                <thead>
                  <tr>
                    <th scope="col">{t.colWhen}</th>
                    <th scope="col">{t.colActor}</th>
                    <th scope="col">{t.colAction}</th>
                    <th scope="col">{t.colTarget}</th>
                    <th scope="col">{t.colDetails}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => {
                    const actorName = entry.actor.name ?? t.actorTypes[entry.actor.type] ?? t.unknownActor;
                    const details = describeDetails(entry);
                    return (
                      <tr key={entry.id}>
                        <td data-label={t.colWhen} className="nowrap col-half">
                          <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                            {formatDateTime(entry.at)}
                          </time>
                          <div className="cell-sub">{formatRelative(entry.at)}</div>
                        </td>
                        <td data-label={t.colActor} className="col-half">
                          {entry.actor.type === "user" && entry.actor.id ? (
                            <button
                              type="button"
                              className="button-text"
                              title={t.filterByActor(actorName)}
                              onClick={() => {
                                setActorNames((names) => ({ ...names, [entry.actor.id!]: actorName }));
                                setParams({ actor: entry.actor.id! });
                              }}
                            >
                              {actorName}
                            </button>
                          ) : (
                            <span>{actorName}</span>
                          )}
                          <div className="cell-sub">{t.actorTypes[entry.actor.type] ?? entry.actor.type}</div>
                        </td>
                        <td data-label={t.colAction} className="col-half">
                          <div>{actionLabel(entry.action)}</div>
                          <code className="cell-sub code">{entry.action}</code>
                        </td>
                        <td data-label={t.colTarget} className="col-half">
                          <div className={entry.target.name ? "audit-target" : "audit-target mono"}>
                            {targetLink(entry.target) ? (
                              <Link to={targetLink(entry.target)!}>{entry.target.name ?? entry.target.id}</Link>
                            ) : (
                              (entry.target.name ?? entry.target.id)
                            )}
                          </div>
                          <div className="cell-sub">{t.targetTypes[entry.target.type] ?? entry.target.type}</div>
                        </td>
                        <td data-label={t.colDetails} className={`col-details${details.length === 0 ? " col-empty" : ""}`}>
                          {details.length === 0 ? (
                            <span className="muted">—</span>
                          ) : (
                            <dl className="details">
                              {details.map((d) => (
                                <div key={d.key}>
                                  <dt>{d.key}</dt>
                                  <dd>{d.value}</dd>
                                </div>
                              ))}
                            </dl>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        )}
        {nextCursor && !loading && (
          <div className="load-more">
            <button type="button" className="button button-secondary" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? t.loadingMore : t.loadMore}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
