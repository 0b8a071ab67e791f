// Manage shared sessions (S6, S9): who holds a concurrent seat right now and when their app
// was last heard from, the queue of agents waiting for one (who hold none), the agents'
// release requests beside them, and "End session" to free seats at once.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, errorText, type Account, type Page, type QueuePlace, type ReleaseRequest, type SharedSession } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { useQueryState } from "../router";
import { Avatar, Dialog, EmptyState, ErrorMessage, Loading, Meter, PageHeader, Reason } from "../components/ui";
import { useToast } from "../components/Toast";

const POLL_MS = 3000;
const MAX_SESSIONS = 2000;
const REQUESTS_SHOWN = 3;

/** Lower case without accents: "Élodie" matches "elodie". */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/**
 * The session a release request is about: the holder of the request's product whom its
 * note names (full name, else first name), else the one idle longest. Never the requester's.
 */
function sessionAbout(request: ReleaseRequest, sessions: SharedSession[]): { session: SharedSession; named: boolean } | null {
  const candidates = sessions.filter((s) => s.product === request.product && s.user.id !== request.user.id);
  const note = fold(request.message ?? "");
  if (note) {
    const words = new Set(note.split(/[^\p{L}\p{N}]+/u));
    const byName = candidates.find((s) => note.includes(fold(s.user.name))) ?? candidates.find((s) => {
      const first = fold(s.user.name.split(/\s+/)[0] ?? "");
      return first.length >= 3 && words.has(first);
    });
    if (byName) return { session: byName, named: true };
  }
  const idle = candidates.filter((s) => s.idleSince).sort((a, b) => a.idleSince!.localeCompare(b.idleSince!));
  return idle[0] ? { session: idle[0], named: false } : null;
}

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
  const { t, formatRelative, formatDateTime, formatDuration, formatTime, seatLabel } = useI18n();
  const { subscription, productName, refreshSubscription, products } = useData();
  const [params, setParams] = useQueryState();
  const product = params.get("product") ?? "";
  const search = params.get("q") ?? "";

  const [sessions, setSessions] = useState<SharedSession[] | null>(null);
  const [requests, setRequests] = useState<ReleaseRequest[] | null>(null);
  const [queue, setQueue] = useState<QueuePlace[] | null>(null);
  const [cooldownSeconds, setCooldownSeconds] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requestsError, setRequestsError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [closing, setClosing] = useState<{ request: ReleaseRequest; outcome: "dismissed" | "resolved" } | null>(null);
  const toast = useToast();
  const [now, setNow] = useState(Date.now());
  const [showAllRequests, setShowAllRequests] = useState(false);
  const generation = useRef(0);
  const tableRef = useRef<HTMLTableElement>(null);
  const [focusTable, setFocusTable] = useState(false);

  // After ending sessions, focus goes to the table, not back to the End button (disabled
  // now): this runs after the dialog's unmount has given focus back to its opener.
  useEffect(() => {
    if (!focusTable) return;
    tableRef.current?.focus();
    setFocusTable(false);
  }, [focusTable]);

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
      const [page, places] = await Promise.all([
        api<Page<ReleaseRequest>>("/release-requests", { query: { limit: 50 } }),
        api<{ items: QueuePlace[] }>("/queue", { query: { product: product || undefined } }),
      ]);
      if (mine === generation.current) {
        setRequests(page.items);
        setQueue(places.items);
        setRequestsError(null);
      }
    } catch (e) {
      if (mine === generation.current) setRequestsError(errorText(e));
    }
    setNow(Date.now());
  }, [product]);

  useEffect(() => {
    api<Account>("/account").then(
      (account) => setCooldownSeconds(account.settings.endedCooldownSeconds),
      () => setCooldownSeconds(null),
    );
  }, []);

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
  const shown = useMemo(() => {
    const q = fold(search.trim());
    if (!q || !sessions) return sessions;
    return sessions.filter((s) => fold(s.user.name).includes(q) || fold(s.user.email ?? "").includes(q));
  }, [sessions, search]);
  const selectedSessions = (sessions ?? []).filter((s) => selected.has(s.id));
  const shownSelected = (shown ?? []).filter((s) => selected.has(s.id));
  const allSelected = shown !== null && shown.length > 0 && shownSelected.length === shown.length;

  const longestPending = useMemo(() => {
    const byProduct = new Map<string, SharedSession>();
    for (const s of sessions ?? []) {
      if (s.state !== "pending") continue;
      const best = byProduct.get(s.product);
      if (!best || s.since < best.since) byProduct.set(s.product, s);
    }
    return byProduct;
  }, [sessions]);

  const queueByProduct = useMemo(() => {
    const byProduct = new Map<string, QueuePlace[]>();
    for (const place of queue ?? []) {
      const places = byProduct.get(place.product);
      if (places) places.push(place);
      else byProduct.set(place.product, [place]);
    }
    return byProduct;
  }, [queue]);

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
    setFocusTable(true);
    void refreshSubscription();
    void load();
  };

  const seconds = (from: string) => Math.max(0, (now - Date.parse(from)) / 1000);

  const stateDetail = (s: SharedSession) => {
    const connected = s.sessions.filter((x) => x.state === "active");
    if (connected.length === 0) return s.idleSince ? t.idleFor(formatDuration(seconds(s.idleSince))) : t.pendingHint;
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
          <div className={`bulkbar${selectedSessions.length > 0 ? " bulkbar-selecting" : ""}`}>
            <div className="bulkbar-filters">
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
              <div className="field field-inline">
                <label htmlFor="sessions-search">{t.searchAgents}</label>
                <input
                  id="sessions-search"
                  type="search"
                  value={search}
                  placeholder={t.searchPlaceholder}
                  onChange={(e) => setParams({ q: e.target.value || undefined })}
                />
              </div>
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
                {t.endSessions(Math.max(1, selectedSessions.length))}
              </button>
            </div>
          </div>
          {error && <ErrorMessage>{error}</ErrorMessage>}
          {shown === null ? (
            !error && <Loading />
          ) : sessions!.length === 0 ? (
            <EmptyState title={t.sessionsEmpty} icon="sessions">
              <p>{t.sessionsEmptyHint}</p>
            </EmptyState>
          ) : shown.length === 0 ? (
            <EmptyState title={t.sessionsNoMatch(search)} icon="sessions" />
          ) : (
            <div className="table-wrap">
              <table className="table table-responsive sessions-table" aria-label={t.navSessions} ref={tableRef} tabIndex={-1}>
                <thead>
                  <tr>
                    <th scope="col" className="col-select">
                      <input
                        type="checkbox"
                        aria-label={t.selectAllSessions}
                        checked={allSelected}
                        ref={(el) => {
                          if (el) el.indeterminate = shownSelected.length > 0 && !allSelected;
                        }}
                        onChange={() =>
                          setSelected((current) => {
                            const next = new Set(current);
                            for (const s of shown) {
                              if (allSelected) next.delete(s.id);
                              else next.add(s.id);
                            }
                            return next;
                          })
                        }
                      />
                    </th>
                    <th scope="col">{t.colAgent}</th>
                    <th scope="col">{t.colProduct}</th>
                    <th scope="col">{t.colState}</th>
                    <th scope="col">{t.colLastHeard}</th>
                    <th scope="col">{t.colSince}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((s) => {
                    const isLongest = longestPending.get(s.product)?.id === s.id;
                    return (
                      <tr
                        key={s.id}
                        className={selected.has(s.id) ? "row-selected" : undefined}
                        onClick={(e) => {
                          if ((e.target as HTMLElement).closest("input,button,a,label")) return;
                          toggle(s.id);
                        }}
                      >
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
                        <td data-label={t.colProduct} className="col-half nowrap">
                          {productName(s.product)}
                        </td>
                        <td data-label={t.colState}>
                          <div className="state-cell">
                            <span className={`badge ${s.state === "active" ? "badge-success" : "badge-warning"}`} title={s.state === "active" ? undefined : t.pendingHint}>
                              {s.state === "active" ? t.stateActive : t.statePending}
                            </span>
                            {isLongest && <span className="badge badge-neutral">{t.pendingLongest}</span>}
                          </div>
                          <div className="cell-sub">
                            {stateDetail(s)}
                            {s.sessions.length > 1 ? ` · ${t.sessionsCount(s.sessions.length)}` : ""}
                          </div>
                        </td>
                        <td data-label={t.colLastHeard} className="col-half nowrap">
                          {s.lastHeartbeatAt ? (
                            <time dateTime={s.lastHeartbeatAt} title={formatDateTime(s.lastHeartbeatAt)}>
                              {formatRelative(s.lastHeartbeatAt, now)}
                            </time>
                          ) : (
                            <span className="muted">{t.noHeartbeat}</span>
                          )}
                        </td>
                        <td data-label={t.colSince} className="col-half nowrap">
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

        <div className="side-panels">
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
                  const about = sessionAbout(r, sessions ?? []);
                  const place = queueByProduct.get(r.product)?.find((q) => q.user.id === r.user.id);
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
                        <div className="release-queue">
                          {place?.state === "reserved" && place.reservedUntil
                            ? t.requesterReserved(formatTime(place.reservedUntil))
                            : place?.position
                              ? t.requesterQueued(place.position)
                              : t.requesterNotQueued}
                        </div>
                        {r.message && <blockquote className="release-message">{r.message}</blockquote>}
                      </div>
                      <div className="release-action">
                        <p className="release-candidate">
                          {about
                            ? about.named
                              ? t.sessionNamedInNote(about.session.user.name, productName(about.session.product))
                              : t.sessionIdlest(about.session.user.name, formatDuration(seconds(about.session.idleSince!)))
                            : t.noPendingToPick}
                        </p>
                        <div className="release-buttons">
                          {about && (
                            <button
                              type="button"
                              className="button button-secondary button-small"
                              aria-pressed={selected.has(about.session.id)}
                              onClick={() => toggle(about.session.id)}
                            >
                              {t.selectSessionOf(about.session.user.name)}
                            </button>
                          )}
                          <button type="button" className="button button-secondary button-small" onClick={() => setClosing({ request: r, outcome: "resolved" })}>
                            {t.resolveRequest}
                          </button>
                          <button type="button" className="button button-link button-small" onClick={() => setClosing({ request: r, outcome: "dismissed" })}>
                            {t.dismissRequest}
                          </button>
                        </div>
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

          <aside className="card queue-panel" aria-labelledby="queue-heading">
            <h2 id="queue-heading" className="card-title">
              {t.queueTitle}
              {queue && queue.length > 0 && <span className="count-pill">{queue.length}</span>}
            </h2>
            <p className="card-sub">{t.queueSub}</p>
            {queue === null ? (
              !requestsError && <Loading />
            ) : queue.length === 0 ? (
              <p className="muted release-empty">{t.queueEmpty}</p>
            ) : (
              [...queueByProduct].map(([slug, places]) => (
                <section key={slug} className="queue-product" aria-label={t.queueOf(productName(slug))}>
                  <h3 className="queue-product-name">{productName(slug)}</h3>
                  <ol className="queue-list">
                    {places.map((place) => (
                      <li key={place.user.id} className={`queue-item queue-${place.state}`}>
                        <span className="queue-position" aria-hidden="true">
                          {place.position ?? "✓"}
                        </span>
                        <span className="queue-who">
                          <span className="user-name">{place.user.name}</span>
                          <span className="cell-sub">
                            {place.state === "reserved" && place.reservedUntil
                              ? t.reservedFor(place.user.name, formatTime(place.reservedUntil))
                              : t.waitingPosition(place.position ?? 0, formatRelative(place.since, now))}
                          </span>
                        </span>
                      </li>
                    ))}
                  </ol>
                </section>
              ))
            )}
          </aside>
        </div>
      </div>

      {confirming && selectedSessions.length > 0 && (
        <EndSessionsDialog sessions={selectedSessions} cooldownSeconds={cooldownSeconds} onClose={() => setConfirming(false)} onEnded={ended} />
      )}
      {closing && (
        <CloseRequestDialog
          request={closing.request}
          outcome={closing.outcome}
          onClose={() => setClosing(null)}
          onClosed={() => {
            setRequests((current) => (current ?? []).filter((r) => r.id !== closing.request.id));
            toast(t.requestClosed(closing.outcome, closing.request.user.name));
            setClosing(null);
            void load();
          }}
        />
      )}
    </div>
  );
}

function EndSessionsDialog({
  sessions,
  cooldownSeconds,
  onClose,
  onEnded,
}: {
  sessions: SharedSession[];
  cooldownSeconds: number | null;
  onClose: () => void;
  onEnded: (ended: string[], notFound: string[]) => void;
}) {
  const { t, formatDuration } = useI18n();
  const { productName } = useData();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const names = t.namesAnd(
    sessions.slice(0, 6).map((s) => s.user.name),
    Math.max(0, sessions.length - 6),
  );
  const productNames = [...new Set(sessions.map((s) => productName(s.product)))];

  const end = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<{ ended: string[]; notFound: string[] }>("/shared-sessions/end", {
        method: "POST",
        body: { ids: sessions.map((s) => s.id), ...(reason.trim() && { reason: reason.trim() }) },
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
            {t.endSessions(sessions.length)}
          </button>
        </>
      }
    >
      <p>{t.endConfirmFreed(sessions.length, names)}</p>
      {cooldownSeconds !== null && <p className="end-cooldown">{t.endCooldown(sessions.length, t.namesAnd(productNames, 0), cooldownSeconds > 0 ? formatDuration(cooldownSeconds) : null)}</p>}
      <ul className="end-list">
        {sessions.slice(0, 6).map((s) => (
          <li key={s.id}>
            <Avatar name={s.user.name} />
            <span className="end-who">
              <strong>{s.user.name}</strong> <span className="muted">{s.user.email}</span>
            </span>
            <span className="muted end-product">{productName(s.product)}</span>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="end-reason">{t.endReason}</label>
        <textarea id="end-reason" rows={2} maxLength={200} value={reason} placeholder={t.endReasonPlaceholder} onChange={(e) => setReason(e.target.value)} aria-describedby="end-reason-help" />
        <p className="field-help" id="end-reason-help">
          {t.endReasonHelp}
        </p>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
    </Dialog>
  );
}

function CloseRequestDialog({
  request,
  outcome,
  onClose,
  onClosed,
}: {
  request: ReleaseRequest;
  outcome: "dismissed" | "resolved";
  onClose: () => void;
  onClosed: () => void;
}) {
  const { t } = useI18n();
  const { productName } = useData();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/release-requests/${encodeURIComponent(request.id)}/close`, { method: "POST", body: { outcome, ...(note.trim() && { note: note.trim() }) } });
      onClosed();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t.closeRequestTitle(outcome, request.user.name)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="button" className="button button-primary" onClick={() => void submit()} disabled={busy}>
            {outcome === "dismissed" ? t.dismissRequest : t.resolveRequest}
          </button>
        </>
      }
    >
      <p>{t.closeRequestBody(outcome, request.user.name, request.productName ?? productName(request.product))}</p>
      <div className="field">
        <label htmlFor="request-note">{t.requestNote}</label>
        <textarea id="request-note" rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-autofocus />
      </div>
      <ErrorMessage>{error}</ErrorMessage>
    </Dialog>
  );
}
