// Overview: what an admin opens first in the morning — per product, the seats in use of
// those licensed, who waits for a concurrent seat, the open release requests, and the last
// time every seat was taken.
import { useEffect, useState } from "react";
import { api, errorText, type Page, type QueuePlace, type ReleaseRequest, type Shortage, type SubscriptionLine } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { EmptyState, LoadError, Loading, Meter, PageHeader } from "../components/ui";

const POLL_MS = 10_000;
/** How far back "last time seats ran out" looks. */
const SHORTAGE_WINDOW_MS = 7 * 86_400_000;

interface Board {
  queue: QueuePlace[];
  requests: ReleaseRequest[];
  lastShortage: Map<string, Shortage | null>;
}

export function OverviewPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { subscription, subscriptionError, refreshSubscription } = useData();
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seesSessions = can("seats:manage");
  const products = (subscription ?? []).filter((line) => line.concurrent.total > 0 || line.named.total > 0 || line.concurrent.eligible > 0);
  const productKey = products.map((p) => p.product).join();

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const from = new Date(Date.now() - SHORTAGE_WINDOW_MS).toISOString();
        const [queue, requests, shortages] = await Promise.all([
          seesSessions ? api<{ items: QueuePlace[] }>("/queue").then((a) => a.items) : Promise.resolve([]),
          seesSessions ? api<Page<ReleaseRequest>>("/release-requests", { query: { limit: 500 } }).then((a) => a.items) : Promise.resolve([]),
          Promise.all(
            productKey
              .split(",")
              .filter(Boolean)
              .map((product) => api<{ items: Shortage[] }>("/usage/shortages", { query: { product, from } }).then((a) => [product, a.items.at(-1) ?? null] as const)),
          ),
        ]);
        if (!cancelled) {
          setBoard({ queue, requests, lastShortage: new Map(shortages) });
          setError(null);
        }
      } catch (e) {
        if (!cancelled) setError(errorText(e));
      }
    };
    void load();
    void refreshSubscription();
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      void load();
      void refreshSubscription();
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [productKey, seesSessions, refreshSubscription]);

  return (
    <div className="page">
      <PageHeader title={t.navOverview} subtitle={t.overviewSub} />
      {subscriptionError && <LoadError message={subscriptionError} onRetry={() => void refreshSubscription()} />}
      {error && <LoadError message={error} onRetry={() => void refreshSubscription()} />}
      {subscription === null ? (
        !subscriptionError && <Loading />
      ) : products.length === 0 ? (
        <section className="card">
          <EmptyState title={t.noSubscription} icon="list" />
        </section>
      ) : (
        <div className="overview-grid">
          {products.map((line) => (
            <ProductBoard key={line.product} line={line} board={board} seesSessions={seesSessions} />
          ))}
        </div>
      )}
    </div>
  );
}

function ProductBoard({ line, board, seesSessions }: { line: SubscriptionLine; board: Board | null; seesSessions: boolean }) {
  const { t, formatRelative, formatTime, formatDuration, formatDateTime } = useI18n();
  const headingId = `overview-${line.product}`;
  const waiting = (board?.queue ?? []).filter((q) => q.product === line.product);
  const requests = (board?.requests ?? []).filter((r) => r.product === line.product);
  const shortage = board?.lastShortage.get(line.product);
  const full = line.concurrent.total > 0 && line.concurrent.occupied >= line.concurrent.total;
  const pooled = line.concurrent.total > 0 || line.concurrent.occupied > 0;
  return (
    <section className="card overview-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {line.name}
      </h2>
      <dl className="overview-stats">
        <div>
          <dt>{t.concurrentSeats}</dt>
          <dd>
            {!pooled ? (
              <span className="muted">{t.noConcurrent}</span>
            ) : (
              <>
                <span className="overview-number">
                  <strong>{line.concurrent.occupied}</strong> / {line.concurrent.total}
                </span>
                <Meter
                  label={`${line.name} – ${t.concurrentSeats}`}
                  value={line.concurrent.occupied}
                  max={line.concurrent.total}
                  text={t.occupiedOfShort(line.concurrent.occupied, line.concurrent.total)}
                  tone="teal"
                />
                {full && <span className="badge badge-warning">{t.allInUse}</span>}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t.namedSeats}</dt>
          <dd>
            <span className="overview-number">
              <strong>{line.named.assigned}</strong> / {line.named.total}
            </span>
          </dd>
        </div>
      </dl>

      {seesSessions && pooled && (
        <div className="overview-block">
          <h3>{t.queueTitle}</h3>
          {board === null ? (
            <Loading />
          ) : waiting.length === 0 ? (
            <p className="muted">{t.queueEmpty}</p>
          ) : (
            <ol className="overview-list">
              {waiting.map((q) => (
                <li key={q.user.id}>
                  <span className="user-name">{q.user.name}</span>{" "}
                  <span className="muted">
                    {q.state === "reserved" && q.reservedUntil ? t.reservedUntil(formatTime(q.reservedUntil)) : t.waitingSince(formatRelative(q.since))}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}

      {seesSessions && pooled && (
        <div className="overview-block">
          <h3>{t.releaseRequests}</h3>
          {board === null ? (
            <Loading />
          ) : requests.length === 0 ? (
            <p className="muted">{t.releaseEmpty}</p>
          ) : (
            <p>
              <Link to={`/shared-sessions?product=${encodeURIComponent(line.product)}`}>{t.openRequests(requests.length)}</Link>
              <span className="muted"> — {t.namesAnd(requests.slice(0, 3).map((r) => r.user.name), Math.max(0, requests.length - 3))}</span>
            </p>
          )}
        </div>
      )}

      {line.concurrent.total > 0 && (
        <div className="overview-block">
          <h3>{t.lastRanOut}</h3>
          {board === null ? (
            <Loading />
          ) : shortage ? (
            <p>
              <time dateTime={shortage.start} title={formatDateTime(shortage.start)}>
                {shortage.end === null ? t.outOfSeatsNow(formatRelative(shortage.start)) : formatRelative(shortage.start)}
              </time>
              {shortage.end !== null && shortage.durationSeconds > 0 && <span className="muted"> · {t.forDuration(formatDuration(shortage.durationSeconds))}</span>}
              {shortage.refusals > 0 && <span className="muted"> · {t.tooltipRefusals(shortage.refusals)}</span>}
            </p>
          ) : (
            <p className="muted">{t.neverRanOut}</p>
          )}
        </div>
      )}

      <div className="overview-links">
        {seesSessions && line.concurrent.total > 0 && <Link to={`/shared-sessions?product=${encodeURIComponent(line.product)}`}>{t.navSessions}</Link>}
        <Link to="/subscription">{t.usageOf(line.name)}</Link>
      </div>
    </section>
  );
}
