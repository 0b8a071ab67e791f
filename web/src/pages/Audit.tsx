// Audit log (admins): who did what, newest first, filtered by actor and action.
import { useEffect, useMemo, useState } from "react";
import { api, errorText, type AuditEntry, type Page, type User } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { useQueryState } from "../router";
import { EmptyState, LoadError, Loading, PageHeader, Reason } from "../components/ui";

const PAGE_SIZE = 50;

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
  const { t, formatDateTime, formatRelative } = useI18n();
  const { productName } = useData();
  const [params, setParams] = useQueryState();
  const actor = params.get("actor") ?? "";
  const action = params.get("action") ?? "";

  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  const [actorText, setActorText] = useState("");
  const [suggestions, setSuggestions] = useState<User[]>([]);
  const [actorNames, setActorNames] = useState<Record<string, string>>({});

  const query = useMemo(() => ({ actor: actor || undefined, action: action || undefined, limit: PAGE_SIZE }), [actor, action]);

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

  const knownActions = Object.keys(t.actions);
  const actionLabel = (a: string) => t.actions[a] ?? a;
  const filtered = Boolean(actor || action);

  const describeValue = (key: string, value: unknown): string | null => {
    if (value === null || value === undefined || value === "") return null;
    if (key === "product" && typeof value === "string") return productName(value);
    if (typeof value === "boolean") return value ? t.yes : t.no;
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
        if (/Ids$/.test(key) && Array.isArray(raw)) return { key: key.replace(/Ids$/, "s"), value: String(raw.length) };
        if (/Id$/.test(key)) return null;
        const value = describeValue(key, raw);
        return value === null ? null : { key: key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(), value };
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
          {filtered && (
            <button type="button" className="button button-link filters-clear" onClick={() => setParams({ actor: undefined, action: undefined })}>
              {t.clearFilters}
            </button>
          )}
        </div>
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
                          <div className={entry.target.name ? undefined : "mono"}>{entry.target.name ?? entry.target.id}</div>
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
