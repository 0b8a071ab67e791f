// Seats and subscription (S1, S2, S3, S11): licenses per product, how many are used,
// how usage evolved, and "Need more seats?" when agents were refused or waited.
import { useEffect, useState, type FormEvent } from "react";
import { api, apiBlob, ApiError, errorText, type SubscriptionLine, type UsagePoint } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { useQueryState } from "../router";
import { ShortageList, UsageChart } from "../components/UsageChart";
import { SeatAdvice } from "../components/SeatAdvice";
import { Dialog, EmptyState, ErrorMessage, Field, GuardedButton, LoadError, Loading, Meter, PageHeader, Reason } from "../components/ui";
import { useToast } from "../components/Toast";

const RANGES = {
  hour: { seconds: 3600, step: 60 },
  day: { seconds: 86400, step: 900 },
  week: { seconds: 7 * 86400, step: 3600 },
} as const;
type RangeKey = keyof typeof RANGES;

export function SubscriptionPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { subscription, subscriptionError, refreshSubscription } = useData();
  const [params, setParams] = useQueryState();
  const rangeParam = params.get("range");
  const range: RangeKey = rangeParam === "hour" || rangeParam === "week" ? rangeParam : "day";
  const [editing, setEditing] = useState<SubscriptionLine | null>(null);
  const toast = useToast();
  const billing = Boolean(user?.billingContact);

  useEffect(() => {
    void refreshSubscription();
  }, [refreshSubscription]);

  return (
    <div className="page">
      <PageHeader
        title={t.navSubscription}
        subtitle={t.subscriptionSub}
        actions={
          <div className="segmented segmented-compact" role="radiogroup" aria-label={t.range}>
            {(Object.keys(RANGES) as RangeKey[]).map((key) => (
              <label key={key} className={range === key ? "checked" : undefined}>
                <input type="radio" name="range" value={key} checked={range === key} onChange={() => setParams({ range: key === "day" ? undefined : key })} />
                <span>{t.ranges[key]}</span>
              </label>
            ))}
          </div>
        }
      />
      {!billing && (
        <div className="reasons">
          <Reason id="billing-reason">{t.notBillingContact}</Reason>
        </div>
      )}
      {subscriptionError && <LoadError message={subscriptionError} onRetry={() => void refreshSubscription()} />}
      {subscription === null ? (
        !subscriptionError && <Loading />
      ) : subscription.length === 0 ? (
        <section className="card">
          <EmptyState title={t.noSubscription} icon="list" />
        </section>
      ) : (
        <div className="product-list">
          {subscription.map((line) => (
            <ProductCard key={line.product} line={line} range={range} billing={billing} onEdit={() => setEditing(line)} />
          ))}
        </div>
      )}
      {editing && (
        <LicensesDialog
          line={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            toast(t.licensesSaved(editing.name));
            setEditing(null);
            void refreshSubscription();
          }}
        />
      )}
    </div>
  );
}

function ProductCard({ line, range, billing, onEdit }: { line: SubscriptionLine; range: RangeKey; billing: boolean; onEdit: () => void }) {
  const { t } = useI18n();
  const headingId = `product-${line.product}`;
  return (
    <section className="card product-card" aria-labelledby={headingId}>
      <div className="product-head">
        <h2 id={headingId} className="card-title">
          {line.name}
        </h2>
        <GuardedButton
          className="button button-secondary button-small"
          aria-label={t.changeLicensesOf(line.name)}
          reason={billing ? null : t.notBillingContact}
          reasonId="billing-reason"
          onClick={onEdit}
        >
          {t.changeLicenses}
        </GuardedButton>
      </div>
      <div className="seat-stats">
        <div className="seat-stat">
          <div className="seat-stat-head">
            <span className="seat-stat-label">{t.namedSeats}</span>
            <span className="seat-stat-value">
              <strong>{line.named.assigned}</strong> / {line.named.total}
            </span>
          </div>
          <Meter
            label={`${line.name} – ${t.namedSeats}`}
            value={line.named.assigned}
            max={line.named.total}
            text={t.assignedOf(line.named.assigned, line.named.total)}
          />
          <div className="seat-stat-foot">{line.named.total > 0 ? t.assignedOf(line.named.assigned, line.named.total) : t.unlimitedNamed}</div>
        </div>
        <div className="seat-stat">
          <div className="seat-stat-head">
            <span className="seat-stat-label">{t.concurrentSeats}</span>
            <span className="seat-stat-value">
              <strong>{line.concurrent.occupied}</strong> / {line.concurrent.total}
            </span>
          </div>
          <Meter
            label={`${line.name} – ${t.concurrentSeats}`}
            value={line.concurrent.occupied}
            max={line.concurrent.total}
            text={t.occupiedOfShort(line.concurrent.occupied, line.concurrent.total)}
            tone="teal"
          />
          <div className="seat-stat-foot">
            {line.concurrent.total > 0 || line.concurrent.occupied > 0 ? (
              <>
                <span>{t.occupiedOfShort(line.concurrent.occupied, line.concurrent.total)}</span>
                {line.concurrent.waiting > 0 && <span className="badge badge-warning">{t.waitingCount(line.concurrent.waiting)}</span>}
                <span className="muted">{t.eligibleAgents(line.concurrent.eligible)}</span>
              </>
            ) : (
              <span className="muted">{t.noConcurrent}</span>
            )}
          </div>
        </div>
      </div>
      {(line.concurrent.total > 0 || line.concurrent.eligible > 0) && <ProductUsage line={line} range={range} billing={billing} onEdit={onEdit} />}
      {line.concurrent.total > 0 && <SeatAdvice product={line.product} />}
    </section>
  );
}

function ProductUsage({ line, range, billing, onEdit }: { line: SubscriptionLine; range: RangeKey; billing: boolean; onEdit: () => void }) {
  const { t, formatDuration } = useI18n();
  const [points, setPoints] = useState<UsagePoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [csvError, setCsvError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [query, setQuery] = useState<{ product: string; from: string; to: string; step: number } | null>(null);

  // The subscription refreshes after every action; reload the chart when its numbers change.
  const refreshKey = `${line.concurrent.total}:${line.concurrent.occupied}`;
  useEffect(() => {
    const { seconds, step } = RANGES[range];
    const to = new Date();
    const from = new Date(to.getTime() - seconds * 1000);
    const q = { product: line.product, from: from.toISOString(), to: to.toISOString(), step };
    setQuery(q);
    const controller = new AbortController();
    setError(null);
    api<{ items: UsagePoint[] }>("/usage", { query: q, signal: controller.signal })
      .then((answer) => setPoints(answer.items))
      .catch((e) => {
        if ((e as Error).name === "AbortError") return;
        setPoints(null);
        setError(errorText(e));
      });
    return () => controller.abort();
  }, [line.product, range, refreshKey]);

  const download = async () => {
    if (!query) return;
    setDownloading(true);
    setCsvError(null);
    try {
      const blob = await apiBlob("/usage", { query, accept: "text/csv" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `usage-${line.product}-${range}.csv`;
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

  // "Need more seats?" counts only what happened since licences were last added: right
  // after adding them, the refusals that made the admin add them are answered.
  let lastIncrease = -1;
  points?.forEach((p, i) => {
    if (i > 0 && p.total > points[i - 1].total) lastIncrease = i;
  });
  const sinceIncrease = points?.slice(lastIncrease + 1) ?? [];
  const refusalsSince = sinceIncrease.reduce((sum, p) => sum + p.refusals, 0);
  const waitsSince = sinceIncrease.reduce((sum, p) => sum + p.waits, 0);
  const refusals = points?.reduce((sum, p) => sum + p.refusals, 0) ?? 0;
  const waits = points?.reduce((sum, p) => sum + p.waits, 0) ?? 0;
  // The peak compared with the licences of its own time, not today's.
  const peakPoint = points?.reduce<UsagePoint | null>((best, p) => (best === null || p.occupiedMax > best.occupiedMax ? p : best), null) ?? null;
  const waitPoints = points?.filter((p) => p.waitMeanSeconds !== null) ?? [];
  const meanWait = waitPoints.length ? waitPoints.reduce((s, p) => s + (p.waitMeanSeconds ?? 0) * Math.max(1, p.waits), 0) / waitPoints.reduce((s, p) => s + Math.max(1, p.waits), 0) : null;
  const p95Wait = waitPoints.length ? Math.max(...waitPoints.map((p) => p.waitP95Seconds ?? 0)) : null;

  return (
    <div className="usage">
      <div className="usage-head">
        <h3>{t.usage}</h3>
        <div className="usage-summary">
          {peakPoint && <span>{t.peak(peakPoint.occupiedMax, peakPoint.totalAtPeak ?? peakPoint.total)}</span>}
          {points && (refusals > 0 || waits > 0) && (
            <span>
              {t.refusalsSeries}: <strong>{refusals}</strong> · {t.waitsSeries}: <strong>{waits}</strong>
            </span>
          )}
          {meanWait !== null && p95Wait !== null && <span>{t.waitStats(formatDuration(meanWait), formatDuration(p95Wait))}</span>}
          <button
            type="button"
            className="button button-link button-small"
            onClick={() => void download()}
            disabled={downloading || !query}
            aria-label={`${t.downloadCsv} – ${line.name}`}
          >
            <svg viewBox="0 0 20 20" width="15" height="15" aria-hidden="true">
              <path d="M10 3v10M5.5 9l4.5 4.5L14.5 9M4 17h12" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {t.downloadCsv}
          </button>
        </div>
      </div>
      {csvError && <ErrorMessage>{csvError}</ErrorMessage>}
      {(refusalsSince > 0 || waitsSince > 0) && (
        <div className="callout" role="note" aria-label={t.needMoreTitle}>
          <div>
            <p className="callout-title">{t.needMoreTitle}</p>
            <p>
              {t.needMoreBody(refusalsSince, waitsSince, t.rangesInline[range])} {billing ? t.needMoreBilling : t.needMoreOthers}
            </p>
          </div>
          {billing && (
            <button type="button" className="button button-primary button-small" onClick={onEdit}>
              {t.addLicenses}
            </button>
          )}
        </div>
      )}
      {error ? (
        <ErrorMessage>{error}</ErrorMessage>
      ) : points === null ? (
        <Loading />
      ) : points.length === 0 ? (
        <p className="muted">{t.usageEmpty}</p>
      ) : (
        <UsageChart points={points} range={range} label={t.chartLabel(line.name, t.rangesInline[range])} />
      )}
      {query && <ShortageList product={query.product} from={query.from} to={query.to} refreshKey={refreshKey} longRange={range === "week"} />}
    </div>
  );
}

function LicensesDialog({ line, onClose, onSaved }: { line: SubscriptionLine; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [named, setNamed] = useState(String(line.named.total));
  const [concurrent, setConcurrent] = useState(String(line.concurrent.total));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const parse = (value: string) => (/^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN);
  const namedValue = parse(named);
  const concurrentValue = parse(concurrent);
  const invalid = Number.isNaN(namedValue) || Number.isNaN(concurrentValue);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/subscription/${encodeURIComponent(line.product)}`, { method: "PUT", body: { named: namedValue, concurrent: concurrentValue } });
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const namedError = apiError?.code === "NAMED_SEATS_IN_USE" ? apiError.detail : apiError?.fieldError("named");
  const concurrentError = apiError?.fieldError("concurrent");
  const generalError = error && !namedError && !concurrentError ? errorText(error) : null;

  return (
    <Dialog
      title={t.licensesOf(line.name)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" form="licenses-form" className="button button-primary" disabled={busy || invalid}>
            {busy ? t.saving : t.updateLicenses}
          </button>
        </>
      }
    >
      <form id="licenses-form" className="form" onSubmit={submit}>
        <div className="form-row">
          <Field
            label={t.namedSeats}
            htmlFor="licenses-named"
            error={namedError ?? (Number.isNaN(namedValue) ? t.outOfRange(0, 1_000_000) : null)}
            help={t.assignedOf(line.named.assigned, line.named.total)}
          >
            <input id="licenses-named" type="number" inputMode="numeric" min={0} step={1} value={named} onChange={(e) => setNamed(e.target.value)} data-autofocus />
          </Field>
          <Field
            label={t.concurrentSeats}
            htmlFor="licenses-concurrent"
            error={concurrentError ?? (Number.isNaN(concurrentValue) ? t.outOfRange(0, 1_000_000) : null)}
            help={t.occupiedOfShort(line.concurrent.occupied, line.concurrent.total)}
          >
            <input id="licenses-concurrent" type="number" inputMode="numeric" min={0} step={1} value={concurrent} onChange={(e) => setConcurrent(e.target.value)} />
          </Field>
        </div>
        <p className="field-help">{t.licensesHelp}</p>
        <ErrorMessage>{generalError}</ErrorMessage>
      </form>
    </Dialog>
  );
}
