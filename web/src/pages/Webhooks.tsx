// Webhooks (admins): endpoints that receive signed events, their secret shown once, and
// each endpoint's delivery log with replay.
import { useEffect, useState, type FormEvent } from "react";
import { api, errorText } from "../api";
import { useAuth } from "../auth";
import { useI18n } from "../i18n";
import type { ListedWebhookEndpoint, WebhookDelivery, WebhookEndpoints, WebhookEndpointWithSecret, Page } from "../../../src/domain/shapes.js";
import { Dialog, EmptyState, ErrorMessage, Field, LoadError, Loading, PageHeader, Reason, SuccessMessage } from "../components/ui";

const EVENTS = [
  "pool.exhausted",
  "pool.available",
  "queue.waiting_over",
  "release_request.created",
  "shared_session.ended_by_admin",
  "lease.expired",
  "subscription.changed",
  "seat.granted",
  "seat.revoked",
] as const;

type Endpoint = ListedWebhookEndpoint;
type Delivery = WebhookDelivery;

const TEXT = {
  en: {
    title: "Webhooks",
    sub: "Send seat events to your chat or ticketing tools. Every delivery is signed with the endpoint's secret (see docs/webhooks.md).",
    adminOnly: "Only admins manage webhooks.",
    add: "Add endpoint",
    none: "No webhook endpoints yet",
    url: "Endpoint URL",
    urlHelp: "https:// only; private and loopback addresses are refused.",
    description: "Description",
    events: "Events",
    threshold: "Queue threshold",
    thresholdHelp: "queue.waiting_over fires when this many agents wait for a seat.",
    create: "Create endpoint",
    cancel: "Cancel",
    secretOnce: "Copy the signing secret now: it is shown only once.",
    enabled: "Enabled",
    disabled: "Disabled",
    enable: "Enable",
    disable: "Disable",
    rotate: "New secret",
    remove: "Delete",
    confirmDelete: (url: string) => `Delete the endpoint ${url} and its delivery log?`,
    log: "Delivery log",
    hideLog: "Hide log",
    pending: (n: number) => `${n} pending`,
    failed: (n: number) => `${n} failed`,
    noDeliveries: "Nothing delivered yet.",
    when: "Created",
    event: "Event",
    status: "Status",
    attempts: "Attempts",
    last: "Last answer",
    replay: "Replay",
    replayed: "Queued again: it will be delivered after the endpoint's other deliveries.",
    statuses: { pending: "pending", delivered: "delivered", failed: "failed" },
    nextAt: (at: string) => `next attempt ${at}`,
    pickEvents: "Choose at least one event.",
  },
  fr: {
    title: "Webhooks",
    sub: "Envoyez les événements de postes à vos outils de messagerie ou de tickets. Chaque envoi est signé avec le secret du point d'accès (voir docs/webhooks.md).",
    adminOnly: "Seuls les administrateurs gèrent les webhooks.",
    add: "Ajouter un point d'accès",
    none: "Aucun point d'accès webhook",
    url: "URL du point d'accès",
    urlHelp: "https:// uniquement ; les adresses privées et locales sont refusées.",
    description: "Description",
    events: "Événements",
    threshold: "Seuil de file d'attente",
    thresholdHelp: "queue.waiting_over est envoyé quand ce nombre d'agents attend un poste.",
    create: "Créer",
    cancel: "Annuler",
    secretOnce: "Copiez le secret de signature maintenant : il n'est affiché qu'une fois.",
    enabled: "Actif",
    disabled: "Désactivé",
    enable: "Activer",
    disable: "Désactiver",
    rotate: "Nouveau secret",
    remove: "Supprimer",
    confirmDelete: (url: string) => `Supprimer le point d'accès ${url} et son journal d'envois ?`,
    log: "Journal des envois",
    hideLog: "Masquer le journal",
    pending: (n: number) => `${n} en attente`,
    failed: (n: number) => `${n} en échec`,
    noDeliveries: "Aucun envoi pour l'instant.",
    when: "Créé",
    event: "Événement",
    status: "État",
    attempts: "Essais",
    last: "Dernière réponse",
    replay: "Renvoyer",
    replayed: "Remis en file : il sera envoyé après les autres envois de ce point d'accès.",
    statuses: { pending: "en attente", delivered: "envoyé", failed: "échec" },
    nextAt: (at: string) => `prochain essai ${at}`,
    pickEvents: "Choisissez au moins un événement.",
  },
};

function useText() {
  const { lang } = useI18n();
  return TEXT[lang === "fr" ? "fr" : "en"];
}

const time = (iso: string) => new Date(iso).toLocaleString();

export function WebhooksPage() {
  const x = useText();
  const { isAdmin } = useAuth();
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = () => {
    setLoadError(null);
    api<WebhookEndpoints>("/webhooks")
      .then((r) => setEndpoints(r.items))
      .catch((e) => setLoadError(errorText(e)));
  };
  useEffect(() => {
    if (isAdmin) load();
  }, [isAdmin]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (!isAdmin) {
    return (
      <div className="page">
        <PageHeader title={x.title} subtitle={x.sub} />
        <section className="card card-padded">
          <Reason>{x.adminOnly}</Reason>
        </section>
      </div>
    );
  }
  return (
    <div className="page">
      <PageHeader
        title={x.title}
        subtitle={x.sub}
        actions={
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {x.add}
          </button>
        }
      />
      {secret && (
        <SuccessMessage>
          <span>{x.secretOnce}</span> <code className="webhook-secret" aria-label={`${x.url} ${secret.url}`}>{secret.secret}</code>
        </SuccessMessage>
      )}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {loadError && <LoadError message={loadError} onRetry={load} />}
      {endpoints === null ? (
        !loadError && <Loading />
      ) : endpoints.length === 0 ? (
        <section className="card">
          <EmptyState title={x.none} icon="list" />
        </section>
      ) : (
        <div className="webhook-list">
          {endpoints.map((e) => (
            <section key={e.id} className="card card-padded webhook-card" aria-label={e.url}>
              <div className="webhook-head">
                <div>
                  <h2 className="card-title webhook-url">{e.url}</h2>
                  {e.description && <p className="muted">{e.description}</p>}
                  <p className="webhook-meta">
                    <span className={`badge ${e.enabled ? "badge-success" : ""}`}>{e.enabled ? x.enabled : x.disabled}</span>
                    {e.pending > 0 && <span className="badge badge-warning">{x.pending(e.pending)}</span>}
                    {e.failed > 0 && <span className="badge badge-danger">{x.failed(e.failed)}</span>}
                    <code className="muted">{e.secretHint}</code>
                  </p>
                </div>
                <div className="webhook-actions">
                  <button type="button" className="button button-secondary button-small" onClick={() => {
                      setOpen(open === e.id ? null : e.id);
                      load();
                    }} aria-expanded={open === e.id}>
                    {open === e.id ? x.hideLog : x.log}
                  </button>
                  <button type="button" className="button button-secondary button-small" onClick={() => void act(() => api(`/webhooks/${e.id}`, { method: "PATCH", body: { enabled: !e.enabled } }))}>
                    {e.enabled ? x.disable : x.enable}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => void act(async () => setSecret({ url: e.url, secret: (await api<WebhookEndpointWithSecret>(`/webhooks/${e.id}/secret`, { method: "POST" })).secret }))}
                  >
                    {x.rotate}
                  </button>
                  <button
                    type="button"
                    className="button button-danger button-small"
                    onClick={() => {
                      if (window.confirm(x.confirmDelete(e.url))) void act(() => api(`/webhooks/${e.id}`, { method: "DELETE" }));
                    }}
                  >
                    {x.remove}
                  </button>
                </div>
              </div>
              <ul className="webhook-events" aria-label={x.events}>
                {e.events.map((ev) => (
                  <li key={ev} className="badge">{ev}</li>
                ))}
              </ul>
              {open === e.id && <DeliveryLog endpoint={e} onReplayed={load} />}
            </section>
          ))}
        </div>
      )}
      {adding && (
        <AddEndpoint
          onClose={() => setAdding(false)}
          onCreated={(url, s) => {
            setAdding(false);
            setSecret({ url, secret: s });
            load();
          }}
        />
      )}
    </div>
  );
}

function DeliveryLog({ endpoint, onReplayed }: { endpoint: Endpoint; onReplayed: () => void }) {
  const x = useText();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = () => {
    api<Page<Delivery>>(`/webhooks/${endpoint.id}/deliveries`, { query: { limit: 50 } })
      .then((r) => setItems(r.items))
      .catch((e) => setError(errorText(e)));
  };
  useEffect(load, [endpoint.id]);
  const replay = async (d: Delivery) => {
    setError(null);
    try {
      await api(`/webhooks/${endpoint.id}/deliveries/${d.id}/replay`, { method: "POST" });
      setNotice(x.replayed);
      load();
      onReplayed();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="webhook-log">
      {notice && <SuccessMessage>{notice}</SuccessMessage>}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <p className="muted">{x.noDeliveries}</p>
      ) : (
        <table className="table webhook-log-table" aria-label={`${x.log} – ${endpoint.url}`}>
          <thead>
            <tr>
              <th scope="col">{x.when}</th>
              <th scope="col">{x.event}</th>
              <th scope="col">{x.status}</th>
              <th scope="col">{x.attempts}</th>
              <th scope="col">{x.last}</th>
              <th scope="col">
                <span className="visually-hidden">{x.replay}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td>{time(d.createdAt)}</td>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td>
                  <span className={`badge ${d.state === "delivered" ? "badge-success" : d.state === "failed" ? "badge-danger" : "badge-warning"}`}>{x.statuses[d.state]}</span>
                  {d.nextAttemptAt && <span className="muted"> {x.nextAt(time(d.nextAttemptAt))}</span>}
                </td>
                <td>{d.attempts}</td>
                <td className="webhook-last">{d.lastError ?? (d.lastStatus !== null ? `HTTP ${d.lastStatus}` : "–")}</td>
                <td>
                  <button type="button" className="button button-secondary button-small" aria-label={`${x.replay} ${d.eventType} ${d.id}`} onClick={() => void replay(d)}>
                    {x.replay}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function AddEndpoint({ onClose, onCreated }: { onClose: () => void; onCreated: (url: string, secret: string) => void }) {
  const x = useText();
  const [url, setUrl] = useState("https://");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>(["pool.exhausted", "release_request.created"]);
  const [threshold, setThreshold] = useState("5");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (events.length === 0) return setError(x.pickEvents);
    setBusy(true);
    setError(null);
    try {
      const created = await api<WebhookEndpointWithSecret>("/webhooks", {
        method: "POST",
        body: { url: url.trim(), events, description: description.trim() || null, queueThreshold: Number(threshold) || 5 },
      });
      onCreated(created.url, created.secret);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={x.add}
      onClose={onClose}
      busy={busy}
      wide
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {x.cancel}
          </button>
          <button type="submit" form="add-webhook" className="button button-primary" disabled={busy}>
            {x.create}
          </button>
        </>
      }
    >
      <form id="add-webhook" onSubmit={(e) => void submit(e)}>
        {error && <ErrorMessage>{error}</ErrorMessage>}
        <Field label={x.url} htmlFor="webhook-url" help={x.urlHelp}>
          <input id="webhook-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} aria-describedby="webhook-url-help" />
        </Field>
        <Field label={x.description} htmlFor="webhook-description">
          <input id="webhook-description" value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <fieldset className="webhook-event-picker">
          <legend>{x.events}</legend>
          {EVENTS.map((ev) => (
            <label key={ev} className="checkbox">
              <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((v) => v !== ev))} />
              <code>{ev}</code>
            </label>
          ))}
        </fieldset>
        {events.includes("queue.waiting_over") && (
          <Field label={x.threshold} htmlFor="webhook-threshold" help={x.thresholdHelp}>
            <input id="webhook-threshold" type="number" min={1} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          </Field>
        )}
      </form>
    </Dialog>
  );
}
