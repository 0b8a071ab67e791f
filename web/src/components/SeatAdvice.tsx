// "Need more seats?" answered from recorded demand: GET /usage/advice replays the last 7 or
// 30 days against other capacities. Shows the answer in one sentence, the curve (refusals
// and p95 wait per capacity) and how sure it is; the CSV is one click away.
import { useEffect, useState } from "react";
import { api, apiBlob, errorText } from "../api";
import { useI18n } from "../i18n";
import type { SeatAdvice as Advice } from "../../../src/domain/shapes.js";

const TEXT = {
  en: {
    title: "Need more seats? What recorded demand says",
    week: "Last 7 days",
    month: "Last 30 days",
    loading: "Replaying recorded demand…",
    none: (days: number) => `No demand recorded in the last ${days} days yet.`,
    enough: (c: number, refusals: number) => `Today's ${c} seats were enough: the replay gives ${refusals} refusals.`,
    answer: (to: number, from: number, before: number, after: number, p95Before: string, p95After: string, period: string) =>
      `With ${to} seats instead of ${from}, ${period}'s ${before} refusals would have been ${after}` +
      (p95Before === p95After ? "." : ` and the 95th-percentile wait ${p95After} instead of ${p95Before}.`),
    period: (days: number) => (days === 7 ? "last week" : "the last 30 days"),
    seats: "Seats",
    refusals: "Refusals",
    p95: "p95 wait",
    today: "today",
    suggested: "suggested",
    confidence: { none: "No data", low: "Low confidence", medium: "Medium confidence", high: "High confidence" },
    csv: "Download CSV",
  },
  fr: {
    title: "Besoin de plus de postes ? Ce que dit la demande enregistrée",
    week: "7 derniers jours",
    month: "30 derniers jours",
    loading: "Rejeu de la demande enregistrée…",
    none: (days: number) => `Aucune demande enregistrée ces ${days} derniers jours.`,
    enough: (c: number, refusals: number) => `Les ${c} postes actuels ont suffi : le rejeu donne ${refusals} refus.`,
    answer: (to: number, from: number, before: number, after: number, p95Before: string, p95After: string, period: string) =>
      `Avec ${to} postes au lieu de ${from}, les ${before} refus de ${period} auraient été ${after}` +
      (p95Before === p95After ? "." : ` et l'attente au 95e centile ${p95After} au lieu de ${p95Before}.`),
    period: (days: number) => (days === 7 ? "la semaine dernière" : "ces 30 derniers jours"),
    seats: "Postes",
    refusals: "Refus",
    p95: "Attente p95",
    today: "actuel",
    suggested: "suggéré",
    confidence: { none: "Pas de données", low: "Confiance faible", medium: "Confiance moyenne", high: "Confiance élevée" },
    csv: "Télécharger le CSV",
  },
};

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

async function downloadCsv(product: string, days: number): Promise<void> {
  const blob = await apiBlob("/usage/advice", { query: { product, days }, accept: "text/csv" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `seat-advice-${product}-${days}d.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function SeatAdvice({ product }: { product: string }) {
  const { lang } = useI18n();
  const x = TEXT[lang === "fr" ? "fr" : "en"];
  const [days, setDays] = useState<7 | 30>(7);
  const [advice, setAdvice] = useState<Advice | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setAdvice(null);
    setError(null);
    api<Advice>("/usage/advice", { query: { product, days }, signal: controller.signal })
      .then(setAdvice)
      .catch((e) => {
        if ((e as Error).name !== "AbortError") setError(errorText(e));
      });
    return () => controller.abort();
  }, [product, days]);

  const headingId = `advice-${product}`;
  const target = advice && advice.suggested !== null && advice.suggested > advice.capacity ? advice.items.find((i) => i.capacity === advice.suggested) : undefined;
  const maxRefusals = advice ? Math.max(1, ...advice.items.map((i) => i.refusals)) : 1;
  return (
    <section className="seat-advice" aria-labelledby={headingId}>
      <div className="seat-advice-head">
        <h3 id={headingId} className="seat-advice-title">{x.title}</h3>
        <div className="segmented segmented-compact" role="radiogroup" aria-label={x.title}>
          {([7, 30] as const).map((d) => (
            <label key={d} className={days === d ? "checked" : undefined}>
              <input type="radio" name={`advice-days-${product}`} checked={days === d} onChange={() => setDays(d)} />
              <span>{d === 7 ? x.week : x.month}</span>
            </label>
          ))}
        </div>
      </div>
      {error && <p role="alert" className="error-text">{error}</p>}
      {!advice && !error && <p className="muted">{x.loading}</p>}
      {advice && (
        <>
          <p className="seat-advice-answer">
            {advice.recorded.requests === 0
              ? x.none(advice.days)
              : target
                ? x.answer(target.capacity, advice.capacity, advice.current.refusals, target.refusals, duration(advice.current.waitP95Seconds), duration(target.waitP95Seconds), x.period(advice.days))
                : x.enough(advice.capacity, advice.current.refusals)}
          </p>
          {advice.recorded.requests > 0 && (
            <table className="seat-advice-curve" aria-label={`${x.refusals} / ${x.p95}`}>
              <thead>
                <tr>
                  <th scope="col">{x.seats}</th>
                  <th scope="col">{x.refusals}</th>
                  <th scope="col">{x.p95}</th>
                </tr>
              </thead>
              <tbody>
                {advice.items.map((i) => (
                  <tr key={i.capacity} className={i.capacity === advice.capacity ? "is-today" : i.capacity === advice.suggested ? "is-suggested" : undefined}>
                    <th scope="row">
                      {i.capacity}
                      {i.capacity === advice.capacity && <span className="badge">{x.today}</span>}
                      {i.capacity === advice.suggested && i.capacity !== advice.capacity && <span className="badge badge-success">{x.suggested}</span>}
                    </th>
                    <td>
                      <span className="seat-advice-bar" style={{ width: `${(i.refusals / maxRefusals) * 100}%` }} aria-hidden="true" />
                      {i.refusals}
                    </td>
                    <td>{duration(i.waitP95Seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {advice.recorded.requests > 0 && <p className="seat-advice-confidence">
            <span className={`badge ${advice.confidence.level === "high" ? "badge-success" : "badge-warning"}`}>{x.confidence[advice.confidence.level]}</span>{" "}
            <span className="muted">{advice.confidence.statement}</span>{" "}
            <button type="button" className="button button-link" onClick={() => void downloadCsv(product, days).catch((e) => setError(errorText(e)))}>
              {x.csv}
            </button>
          </p>}
        </>
      )}
    </section>
  );
}
