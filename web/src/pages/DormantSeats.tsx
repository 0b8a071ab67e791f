// Dormant named seats: named seats whose holder has not used the product for the account's
// number of days, with bulk "convert to concurrent" and "revoke", and (admins) the dormancy
// period and automatic reclaim.
import { useEffect, useState, type FormEvent } from "react";
import { api, errorText } from "../api";
import { useAuth } from "../auth";
import { useI18n } from "../i18n";
import { useQueryState } from "../router";
import type { DormantSeats, DormantSettings, ReclaimResult } from "../../../src/domain/shapes.js";
import { EmptyState, ErrorMessage, Field, LoadError, Loading, PageHeader, Reason, SuccessMessage } from "../components/ui";

type Reclaim = DormantSettings["reclaim"];

const TEXT = {
  en: {
    title: "Dormant seats",
    sub: (days: number) => `Named seats whose holder has not used the product for ${days} days or more.`,
    noRights: "Managing seats takes the seats:manage privilege.",
    none: "No dormant named seats",
    user: "Holder",
    product: "Product",
    lastUsed: "Last used",
    never: (granted: string) => `never (granted ${granted})`,
    idle: "Idle",
    days: (n: number) => `${n} days`,
    select: (name: string, product: string) => `Select ${name} (${product})`,
    selectAll: "Select all",
    convert: "Convert to concurrent",
    revoke: "Revoke",
    done: (n: number, skipped: number) => `${n} seat${n === 1 ? "" : "s"} reclaimed${skipped ? `, ${skipped} skipped (used meanwhile)` : ""}.`,
    settings: "Dormancy",
    period: "Dormant after (days)",
    auto: "Automatic reclaim",
    autoOptions: { off: "Off: list only", convert: "Convert dormant seats to concurrent", revoke: "Revoke dormant seats" },
    autoHelp: "Checked once a minute; every reclaim is in the audit log.",
    save: "Save",
    saved: "Saved.",
  },
  fr: {
    title: "Postes dormants",
    sub: (days: number) => `Postes nominatifs dont le titulaire n'a pas utilisé le produit depuis ${days} jours ou plus.`,
    noRights: "Gérer les postes demande le privilège seats:manage.",
    none: "Aucun poste nominatif dormant",
    user: "Titulaire",
    product: "Produit",
    lastUsed: "Dernière utilisation",
    never: (granted: string) => `jamais (attribué le ${granted})`,
    idle: "Inactif",
    days: (n: number) => `${n} jours`,
    select: (name: string, product: string) => `Sélectionner ${name} (${product})`,
    selectAll: "Tout sélectionner",
    convert: "Passer en simultané",
    revoke: "Retirer",
    done: (n: number, skipped: number) => `${n} poste${n > 1 ? "s" : ""} récupéré${n > 1 ? "s" : ""}${skipped ? `, ${skipped} ignoré${skipped > 1 ? "s" : ""} (utilisé entre-temps)` : ""}.`,
    settings: "Dormance",
    period: "Dormant après (jours)",
    auto: "Récupération automatique",
    autoOptions: { off: "Désactivée : liste seulement", convert: "Passer les postes dormants en simultané", revoke: "Retirer les postes dormants" },
    autoHelp: "Vérifiée chaque minute ; chaque récupération figure dans le journal d'audit.",
    save: "Enregistrer",
    saved: "Enregistré.",
  },
};

const key = (s: { user: { id: string }; product: string }) => `${s.user.id} ${s.product}`;

export function DormantSeatsPage() {
  const { lang } = useI18n();
  const x = TEXT[lang === "fr" ? "fr" : "en"];
  const { can, isAdmin } = useAuth();
  const [data, setData] = useState<DormantSeats | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // ?days=N lists with another period than the account's (a link can carry it).
  const [params] = useQueryState();
  const daysParam = params.get("days");
  const days = daysParam !== null && /^\d{1,3}$/.test(daysParam) ? Number(daysParam) : undefined;

  const load = () => {
    setLoadError(null);
    api<DormantSeats>("/dormant-seats", { query: { days } })
      .then((d) => {
        setData(d);
        setSelected(new Set());
      })
      .catch((e) => setLoadError(errorText(e)));
  };
  const allowed = can("seats:manage");
  useEffect(() => {
    if (allowed) load();
  }, [allowed, days]);

  const act = async (action: "convert" | "revoke") => {
    if (!data) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const seats = data.items.filter((s) => selected.has(key(s))).map((s) => ({ userId: s.user.id, product: s.product }));
      const r = await api<ReclaimResult>("/dormant-seats/reclaim", { method: "POST", body: { action, seats, days: data.days } });
      setNotice(x.done(r.reclaimed.length, r.skipped.length));
      load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (!allowed) {
    return (
      <div className="page">
        <PageHeader title={x.title} />
        <section className="card card-padded">
          <Reason>{x.noRights}</Reason>
        </section>
      </div>
    );
  }
  const toggle = (k: string) => setSelected((s) => (s.has(k) ? new Set([...s].filter((v) => v !== k)) : new Set([...s, k])));
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang);
  return (
    <div className="page">
      <PageHeader
        title={x.title}
        subtitle={data ? x.sub(data.days) : undefined}
        actions={
          <div className="bulk-actions">
            <button type="button" className="button button-secondary" disabled={busy || selected.size === 0} onClick={() => void act("convert")}>
              {x.convert}
            </button>
            <button type="button" className="button button-danger" disabled={busy || selected.size === 0} onClick={() => void act("revoke")}>
              {x.revoke}
            </button>
          </div>
        }
      />
      {notice && <SuccessMessage>{notice}</SuccessMessage>}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {loadError && <LoadError message={loadError} onRetry={load} />}
      {data === null ? (
        !loadError && <Loading />
      ) : data.items.length === 0 ? (
        <section className="card">
          <EmptyState title={x.none} icon="users" />
        </section>
      ) : (
        <section className="card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={x.selectAll}
                    checked={selected.size === data.items.length}
                    onChange={() => setSelected(selected.size === data.items.length ? new Set() : new Set(data.items.map(key)))}
                  />
                </th>
                <th scope="col">{x.user}</th>
                <th scope="col">{x.product}</th>
                <th scope="col">{x.lastUsed}</th>
                <th scope="col">{x.idle}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => (
                <tr key={key(s)}>
                  <td>
                    <input type="checkbox" aria-label={x.select(s.user.name, s.product)} checked={selected.has(key(s))} onChange={() => toggle(key(s))} />
                  </td>
                  <td>
                    <strong>{s.user.name}</strong>
                    {s.user.email && <div className="muted">{s.user.email}</div>}
                  </td>
                  <td>{s.product}</td>
                  <td>{s.lastUsedAt ? date(s.lastUsedAt) : x.never(date(s.grantedAt))}</td>
                  <td>{x.days(s.idleDays)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {isAdmin && <DormancySettings onSaved={load} />}
    </div>
  );
}

function DormancySettings({ onSaved }: { onSaved: () => void }) {
  const { lang } = useI18n();
  const x = TEXT[lang === "fr" ? "fr" : "en"];
  const [period, setPeriod] = useState("");
  const [auto, setAuto] = useState<Reclaim>("off");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    api<DormantSettings>("/dormant-seats/settings")
      .then((s) => {
        setPeriod(String(s.days));
        setAuto(s.reclaim);
      })
      .catch((e) => setError(errorText(e)));
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await api("/dormant-seats/settings", { method: "PUT", body: { days: Number(period), reclaim: auto } });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="card card-padded" aria-labelledby="dormancy-title">
      <h2 id="dormancy-title" className="card-title">{x.settings}</h2>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        {error && <ErrorMessage>{error}</ErrorMessage>}
        {saved && <SuccessMessage>{x.saved}</SuccessMessage>}
        <Field label={x.period} htmlFor="dormant-days">
          <input id="dormant-days" type="number" min={1} max={365} required value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
        <Field label={x.auto} htmlFor="dormant-reclaim" help={x.autoHelp}>
          <select id="dormant-reclaim" value={auto} onChange={(e) => setAuto(e.target.value as Reclaim)} aria-describedby="dormant-reclaim-help">
            {(["off", "convert", "revoke"] as const).map((v) => (
              <option key={v} value={v}>{x.autoOptions[v]}</option>
            ))}
          </select>
        </Field>
        <div>
          <button type="submit" className="button button-primary">{x.save}</button>
        </div>
      </form>
    </section>
  );
}
