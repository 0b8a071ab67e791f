// Manage shared sessions (S6, S9): who holds a concurrent seat right now, the agents'
// release requests beside them, and "End session" to free seats at once.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, errorText, type Page, type ReleaseRequest, type SharedSession } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { useQueryState } from "../router";
import { Avatar, Dialog, EmptyState, ErrorMessage, Loading, Meter, PageHeader, Reason } from "../components/ui";
import { useToast } from "../components/Toast";

const POLL_MS = 3000;
const MAX_SESSIONS = 2000;
const REQUESTS_SHOWN = 3;

export function SharedSessionsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can("seats:manage")) {
    return (
      <div className="page">
        <PageHeader title={t.navSessions} subtitle={t.sessionsSub} />
        <section className="card card-padded">
          <Reason>{t.needSeatsManageSessions}</Reason>
        </section>
      </div>
    );
  }
  return <SharedSessionsManager />;
}

function SharedSessionsManager() {
  const { t, formatRelative, formatDateTime, seatLabel } = useI18n();
  const { subscription, productName, refreshSubscription, products } = useData();
  const [params, setParams] = useQueryState();
  const product = params.get("product") ?? "";

  const [sessions, setSessions] = useState<SharedSession[] | null>(null);
  const [requests, setRequests] = useState<ReleaseRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requestsError, setRequestsError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const toast = useToast();
  const [now, setNow] = useState(Date.now());
  const [showAllRequests, setShowAllRequests] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    const all: SharedSession[] = [];
    try {
      let cursor: string | null = null;
      do {
        const page: Page<SharedSession> = await api<Page<SharedSession>>("/shared-sessions", { query: { product: product || undefined, limit: 500, cursor } });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < MAX_SESSIONS);
      if (mine !== generation.current) return;
      setSessions(all);
      setError(null);
      setSelected((current) => {
        const ids = new Set(all.map((s) => s.id));
        const kept = [...current].filter((id) => ids.has(id));
        return kept.length === current.size ? current : new Set(kept);
      });
    } catch (e) {
      if (mine !== generation.current) return;
      setError(errorText(e));
    }
    try {
      const page = await api<Page<ReleaseRequest>>("/release-requests", { query: { limit: 50 } });
      if (mine === generation.current) {
        setRequests(page.items);
        setRequestsError(null);
      }
    } catch (e) {
      if (mine === generation.current) setRequestsError(errorText(e));
    }
    setNow(Date.now());
  }, [product]);

  // Live: poll while the page is visible, and at once when it becomes visible again.
  useEffect(() => {
    setSessions(null);
    void load();
    void refreshSubscription();
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      void load();
      void refreshSubscription();
    }, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") {
        void load();
        void refreshSubscription();
      }
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [load, refreshSubscription]);

  const pools = (subscription ?? []).filter((line) => line.concurrent.total > 0 || line.concurrent.occupied > 0);
  const visiblePools = product ? pools.filter((line) => line.product === product) : pools;
  const selectedSessions = (sessions ?? []).filter((s) => selected.has(s.id));
  const allSelected = sessions !== null && sessions.length > 0 && selectedSessions.length === sessions.length;

  const longestPending = useMemo(() => {
    const byProduct = new Map<string, SharedSession>();
    for (const s of sessions ?? []) {
      if (s.state !== "pending") continue;
      const best = byProduct.get(s.product);
      if (!best || s.since < best.since) byProduct.set(s.product, s);
    }
    return byProduct;
  }, [sessions]);

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const ended = (ids: string[], notFound: string[]) => {
    const gone = new Set([...ids, ...notFound]);
    const endedIds = new Set(ids);
    const freed = (sessions ?? []).filter((s) => endedIds.has(s.id)).map((s) => t.seatOfAgent(s.user.name, seatLabel(productName(s.product), "concurrent")));
    setSessions((current) => (current ?? []).filter((s) => !gone.has(s.id)));
    setSelected(new Set());
    setConfirming(false);
    toast(`${t.endedSeats(freed)}${notFound.length ? ` ${t.endNotFound(notFound.length)}` : ""}`);
    void refreshSubscription();
    void load();
  };

  const stateDetail = (s: SharedSession) => {
    const connected = s.sessions.filter((x) => x.state === "active");
    if (connected.length === 0) return t.pendingHint;
    return connected
      .map((x) => [x.platform ? t.platforms[x.platform] ?? x.platform : null, x.mode ? t.modes[x.mode] ?? x.mode : null].filter(Boolean).join(" · "))
      .filter(Boolean)
      .join(", ");
  };

  return (
    <div className="page">
      <PageHeader
        title={t.navSessions}
        subtitle={t.sessionsSub}
        actions={
          <span className="live" title={t.liveHelp}>
            <span className="live-dot" aria-hidden="true" />
            {t.live}
          </span>
        }
      />

      {visiblePools.length > 0 && (
        <div className="pool-strip">
          {visiblePools.map((line) => (
            <div key={line.product} className="pool">
              <div className="pool-head">
                <span className="pool-name">{line.name}</span>
                <span className="pool-numbers">
                  <strong>{line.concurrent.occupied}</strong>/{line.concurrent.total}
                </span>
              </div>
              <Meter
                label={`${line.name} – ${t.concurrentSeats}`}
                value={line.concurrent.occupied}
                max={line.concurrent.total}
                text={t.occupiedOf(line.concurrent.occupied, line.concurrent.total)}
                tone="teal"
              />
              <div className="pool-foot">
                <span>{t.occupiedOf(line.concurrent.occupied, line.concurrent.total)}</span>
                {line.concurrent.waiting > 0 && <span className="badge badge-warning">{t.waitingCount(line.concurrent.waiting)}</span>}
              </div>
            </div>
          ))}
        </div>
      )}

      <div className="sessions-layout">
        <section className="card">
          <div className="bulkbar">
            <div className="field field-inline">
              <label htmlFor="sessions-product">{t.colProduct}</label>
              <select id="sessions-product" value={product} onChange={(e) => setParams({ product: e.target.value || undefined })}>
                <option value="">{t.allProducts}</option>
                {products.map((p) => (
                  <option key={p.slug} value={p.slug}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="bulkbar-actions">
              {selectedSessions.length > 0 && <span className="bulkbar-count">{t.sessionsSelected(selectedSessions.length)}</span>}
              <button
                type="button"
                className="button button-danger"
                disabled={selectedSessions.length === 0}
                title={selectedSessions.length === 0 ? t.selectSessionsFirst : undefined}
                onClick={() => setConfirming(true)}
              >
                {t.endSession}
              </button>
            </div>
          </div>
          {error && <ErrorMessage>{error}</ErrorMessage>}
          {sessions === null ? (
            !error && <Loading />
          ) : sessions.length === 0 ? (
            <EmptyState title={t.sessionsEmpty} icon="sessions">
              <p>{t.sessionsEmptyHint}</p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table table-responsive" aria-label={t.navSessions}>
                <thead>
                  <tr>
                    <th scope="col" className="col-select">
                      <input
                        type="checkbox"
                        aria-label={t.selectAllSessions}
                        checked={allSelected}
                        ref={(el) => {
                          if (el) el.indeterminate = selectedSessions.length > 0 && !allSelected;
                        }}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(sessions.map((s) => s.id)))}
                      />
                    </th>
                    <th scope="col">{t.colAgent}</th>
                    <th scope="col">{t.colProduct}</th>
                    <th scope="col">{t.colState}</th>
                    <th scope="col">{t.colSince}</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((s) => {
                    const isLongest = longestPending.get(s.product)?.id === s.id;
                    return (
                      <tr key={s.id} className={selected.has(s.id) ? "row-selected" : undefined} onClick={(e) => {
                        if ((e.target as HTMLElement).closest("input,button,a,label")) return;
                        toggle(s.id);
                      }}>
                        <td className="col-select">
                          <input type="checkbox" aria-label={t.selectSession(s.user.name)} checked={selected.has(s.id)} onChange={() => toggle(s.id)} />
                        </td>
                        <td data-label={t.colAgent} className="col-user">
                          <div className="user-cell">
                            <Avatar name={s.user.name} />
                            <div>
                              <div className="user-name">{s.user.name}</div>
                              <div className="user-email">{s.user.email}</div>
                            </div>
                          </div>
                        </td>
                        <td data-label={t.colProduct} className="col-half">{productName(s.product)}</td>
                        <td data-label={t.colState}>
                          <div className="state-cell">
                            <span className={`badge ${s.state === "active" ? "badge-success" : "badge-warning"}`}>
                              {s.state === "active" ? t.stateActive : t.statePending}
                            </span>
                            {isLongest && <span className="badge badge-neutral">{t.pendingLongest}</span>}
                          </div>
                          <div className="cell-sub">
                            {stateDetail(s)}
                            {s.sessions.length > 1 ? ` · ${t.sessionsCount(s.sessions.length)}` : ""}
                          </div>
                        </td>
                        <td data-label={t.colSince} className="col-half">
                          <time dateTime={s.since} title={formatDateTime(s.since)}>
                            {formatRelative(s.since, now)}
                          </time>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <aside className="card release-panel" aria-labelledby="release-heading">
          <h2 id="release-heading" className="card-title">
            {t.releaseRequests}
            {requests && requests.length > 0 && <span className="count-pill">{requests.length}</span>}
          </h2>
          <p className="card-sub">{t.releaseSub}</p>
          {requestsError && <ErrorMessage>{requestsError}</ErrorMessage>}
          {requests === null ? (
            !requestsError && <Loading />
          ) : requests.length === 0 ? (
            <p className="muted release-empty">{t.releaseEmpty}</p>
          ) : (
            <ul className="release-list">
              {(showAllRequests ? requests : requests.slice(0, REQUESTS_SHOWN)).map((r) => {
                const name = r.productName ?? productName(r.product);
                const candidate = longestPending.get(r.product);
                return (
                  <li key={r.id} className="release-item">
                    <div className="release-main">
                      <div className="release-head">
                        <span className="user-name">{r.user.name}</span>
                        <time dateTime={r.createdAt} title={formatDateTime(r.createdAt)} className="muted">
                          {formatRelative(r.createdAt, now)}
                        </time>
                      </div>
                      <div className="user-email">
                        {r.user.email} · <span className="release-product">{name}</span>
                      </div>
                      {r.message && <blockquote className="release-message">{r.message}</blockquote>}
                    </div>
                    <div className="release-action">
                      <p className="release-candidate">
                        {candidate ? t.longestPendingIs(candidate.user.name, formatRelative(candidate.since, now)) : t.noPendingToPick}
                      </p>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        aria-label={t.selectLongestPendingFor(name)}
                        disabled={!candidate || selected.has(candidate.id)}
                        onClick={() => candidate && setSelected((current) => new Set([...current, candidate.id]))}
                      >
                        {t.selectLongestPending}
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          {requests && requests.length > REQUESTS_SHOWN && (
            <button type="button" className="button button-link button-small show-more" onClick={() => setShowAllRequests((v) => !v)}>
              {showAllRequests ? t.showFewer : t.showMore(requests.length - REQUESTS_SHOWN)}
            </button>
          )}
        </aside>
      </div>

      {confirming && selectedSessions.length > 0 && (
        <EndSessionsDialog sessions={selectedSessions} onClose={() => setConfirming(false)} onEnded={ended} />
      )}
    </div>
  );
}

function EndSessionsDialog({
  sessions,
  onClose,
  onEnded,
}: {
  sessions: SharedSession[];
  onClose: () => void;
  onEnded: (ended: string[], notFound: string[]) => void;
}) {
  const { t } = useI18n();
  const { productName } = useData();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const names = t.namesAnd(
    sessions.slice(0, 6).map((s) => s.user.name),
    Math.max(0, sessions.length - 6),
  );

  const end = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<{ ended: string[]; notFound: string[] }>("/shared-sessions/end", {
        method: "POST",
        body: { ids: sessions.map((s) => s.id) },
      });
      onEnded(answer.ended, answer.notFound);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t.endConfirmTitle(sessions.length)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy} data-autofocus>
            {t.cancel}
          </button>
          <button type="button" className="button button-danger" onClick={() => void end()} disabled={busy}>
            {t.endSession}
          </button>
        </>
      }
    >
      <p>{t.endConfirmBody(names)}</p>
      <ul className="end-list">
        {sessions.slice(0, 6).map((s) => (
          <li key={s.id}>
            <Avatar name={s.user.name} />
            <span>
              <strong>{s.user.name}</strong> <span className="muted">{s.user.email}</span>
            </span>
            <span className="muted end-product">{productName(s.product)}</span>
          </li>
        ))}
      </ul>
      <ErrorMessage>{error}</ErrorMessage>
    </Dialog>
  );
}
