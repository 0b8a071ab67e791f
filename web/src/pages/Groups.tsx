// Groups (S7, automated provisioning): the groups the identity provider sends over SCIM,
// their members, the seat each is mapped to, and what a mapping could not give. Mapping a
// group to "<product> – Named/Concurrent" gives every member that seat; removing someone
// from the group in the identity provider revokes it.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, errorText, type Group, type GroupWarning, type Page, type SeatType } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { Dialog, EmptyState, ErrorMessage, Field, GuardedButton, LoadError, Loading, PageHeader, Reason } from "../components/ui";
import { useToast } from "../components/Toast";

const PAGE_SIZE = 200;

export function GroupsPage() {
  const { t } = useI18n();
  const { can, isAdmin } = useAuth();
  const { refreshSubscription } = useData();
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const [editing, setEditing] = useState<Group | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const canManageSeats = can("seats:manage");

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    (async () => {
      const all: Group[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Group> = await api<Page<Group>>("/groups", { query: { limit: PAGE_SIZE, cursor }, signal: controller.signal });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      setGroups(all);
    })().catch((e) => {
      if ((e as Error).name === "AbortError") return;
      setGroups([]);
      setError(errorText(e));
    });
    return () => controller.abort();
  }, [reloadKey]);

  return (
    <div className="page">
      <PageHeader title={t.navGroups} subtitle={t.groupsSub} />
      {!canManageSeats && (
        <div className="reasons">
          <Reason id="groups-seats-reason">{t.needSeatsManage}</Reason>
        </div>
      )}
      <section className="card">
        {error && <LoadError message={error} onRetry={() => setReloadKey((k) => k + 1)} />}
        {groups === null ? (
          <Loading />
        ) : groups.length === 0 && !error ? (
          <EmptyState title={t.groupsEmpty} icon="users">
            <p>{t.groupsEmptyBody}</p>
            {isAdmin ? (
              <p>
                <Link to="/settings#scim" className="button button-secondary button-small">
                  {t.groupsEmptyLink}
                </Link>
              </p>
            ) : (
              <p>{t.groupsEmptyAskAdmin}</p>
            )}
          </EmptyState>
        ) : (
          groups.length > 0 && (
            <div className="table-wrap">
              <table className="table table-responsive" aria-label={t.navGroups}>
                <thead>
                  <tr>
                    <th scope="col">{t.colGroup}</th>
                    <th scope="col" className="col-half">
                      {t.colMembers}
                    </th>
                    <th scope="col">{t.colSeat}</th>
                    <th scope="col">{t.colWarnings}</th>
                    <th scope="col" className="col-actions">
                      <span className="visually-hidden">{t.colActions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((group) => (
                    <GroupRow key={group.id} group={group} canManageSeats={canManageSeats} onEdit={() => setEditing(group)} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        )}
      </section>
      {editing && (
        <GroupSeatDialog
          group={editing}
          onClose={() => setEditing(null)}
          onSaved={(message) => {
            setEditing(null);
            toast(message);
            setReloadKey((k) => k + 1);
            void refreshSubscription();
          }}
        />
      )}
    </div>
  );
}

function GroupRow({ group, canManageSeats, onEdit }: { group: Group; canManageSeats: boolean; onEdit: () => void }) {
  const { t, seatLabel, formatNumber } = useI18n();
  const { productName } = useData();
  return (
    <tr>
      <td data-label={t.colGroup}>
        <div className="user-name">{group.displayName}</div>
        {group.externalId && <div className="cell-sub">{group.externalId}</div>}
      </td>
      <td data-label={t.colMembers} className="col-half">
        {formatNumber(group.memberCount)}
      </td>
      <td data-label={t.colSeat}>
        {group.seat ? (
          <span className={`chip chip-${group.seat.type}`}>{seatLabel(productName(group.seat.product), group.seat.type)}</span>
        ) : (
          <span className="muted">{t.noSeatMapped}</span>
        )}
      </td>
      <td data-label={t.colWarnings}>
        <Warnings warnings={group.warnings} />
      </td>
      <td className="col-actions">
        <div className="row-actions">
          <GuardedButton
            className="button button-secondary button-small"
            aria-label={t.mapSeatOf(group.displayName)}
            reason={canManageSeats ? null : t.needSeatsManage}
            reasonId="groups-seats-reason"
            onClick={onEdit}
          >
            {group.seat ? t.changeSeat : t.mapSeat}
          </GuardedButton>
        </div>
      </td>
    </tr>
  );
}

/** One line per problem and product, e.g. "No named seat of Remote Support v5 left for 3 members". */
function Warnings({ warnings }: { warnings: GroupWarning[] }) {
  const { t } = useI18n();
  const { productName } = useData();
  const lines = useMemo(() => {
    const byKey = new Map<string, { warning: GroupWarning; users: string[] }>();
    for (const w of warnings) {
      const key = `${w.code}:${w.product}:${w.granted ?? ""}`;
      const entry = byKey.get(key) ?? { warning: w, users: [] };
      entry.users.push(w.user.name);
      byKey.set(key, entry);
    }
    return [...byKey.values()];
  }, [warnings]);
  if (lines.length === 0) return <span className="muted">{t.noWarnings}</span>;
  return (
    <ul className="group-warnings">
      {lines.map(({ warning, users }) => (
        <li key={`${warning.code}:${warning.product}:${warning.granted ?? ""}`} className="badge badge-warning" title={users.join(", ")}>
          {t.groupWarning(warning.code, productName(warning.product), users.length, warning.granted)}
        </li>
      ))}
    </ul>
  );
}

function GroupSeatDialog({ group, onClose, onSaved }: { group: Group; onClose: () => void; onSaved: (message: string) => void }) {
  const { t, seatLabel } = useI18n();
  const { subscription, productName } = useData();
  const current = group.seat ? `${group.seat.product}:${group.seat.type}` : "";
  const [choice, setChoice] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const options = useMemo(
    () =>
      [...(subscription ?? [])]
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((line) => (["named", "concurrent"] as const).map((type) => ({ value: `${line.product}:${type}`, label: seatLabel(line.name, type) }))),
    [subscription, seatLabel],
  );

  const save = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      if (choice === "") {
        await api(`/groups/${encodeURIComponent(group.id)}/seat`, { method: "DELETE" });
        onSaved(t.groupSeatRemoved(group.displayName));
      } else {
        const [product, type] = choice.split(":") as [string, SeatType];
        await api<Group>(`/groups/${encodeURIComponent(group.id)}/seat`, { method: "PUT", body: { product, type } });
        onSaved(t.groupSeatMapped(group.displayName, seatLabel(productName(product), type)));
      }
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }, [choice, group, onSaved, t, seatLabel, productName]);

  return (
    <Dialog
      title={t.groupSeatTitle(group.displayName)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="button" className="button button-primary" onClick={() => void save()} disabled={busy || choice === current}>
            {busy ? t.saving : t.save}
          </button>
        </>
      }
    >
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (choice !== current) void save();
        }}
      >
        <Field label={t.groupSeatLabel} htmlFor="group-seat" help={choice === "" && current ? t.groupSeatRemoveHelp(group.memberCount) : t.groupSeatHelp(group.memberCount)}>
          <select id="group-seat" value={choice} onChange={(e) => setChoice(e.target.value)} disabled={busy}>
            <option value="">{t.noSeatMapped}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <ErrorMessage>{error}</ErrorMessage>
      </form>
    </Dialog>
  );
}
