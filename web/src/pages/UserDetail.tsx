// One user (/users/:id): its seats, what it holds right now, when it last signed in and
// used a seat, the audit entries about it, and the changes an admin makes every day —
// role, privileges, billing contact, active state, password. Only what the server would
// accept is offered: a manager changes only users whose privileges are all its own, and
// never an admin.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { api, errorText, type AuditEntry, type Page, type Privilege, type Role, type SessionUser, type User, type UserActivity } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n, type Messages } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { Avatar, Dialog, ErrorMessage, Field, GuardedButton, LoadError, Loading } from "../components/ui";
import { useToast } from "../components/Toast";
import { PRIVILEGES, PrivilegesFieldset, RemoveUserDialog, SeatChips, SeatsDialog } from "./Users";
import "../users.css";

const AUDIT_SHOWN = 10;

function heldPrivileges(user: { role: Role; privileges: Privilege[] }): Privilege[] {
  if (user.role === "admin") return PRIVILEGES;
  return user.role === "manager" ? user.privileges : [];
}

/** Why the signed-in user may not change this user at all, as the server decides (null: it may). */
export function changeRefusal(me: SessionUser, target: User, canWriteUsers: boolean, t: Messages): string | null {
  if (!canWriteUsers) return t.needUsersWrite;
  if (me.role === "admin") return null;
  if (target.role === "admin") return t.onlyAdminsChangeAdmins;
  const mine = heldPrivileges(me);
  if (heldPrivileges(target).some((p) => !mine.includes(p))) return t.managerOutranked;
  return null;
}

export function UserDetailPage() {
  const { pathname } = useLocation();
  const id = decodeURIComponent(pathname.slice("/users/".length));
  const { t, formatDateTime, formatRelative, seatLabel } = useI18n();
  const { user: me, can, isAdmin } = useAuth();
  const { productName, refreshSubscription } = useData();
  const toast = useToast();
  const [user, setUser] = useState<User | null>(null);
  const [activity, setActivity] = useState<UserActivity | null>(null);
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [dialog, setDialog] = useState<"seats" | "password" | "active" | "remove" | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [u, a, entries] = await Promise.all([
        api<User>(`/users/${encodeURIComponent(id)}`),
        api<UserActivity>(`/users/${encodeURIComponent(id)}/activity`),
        isAdmin ? api<Page<AuditEntry>>("/audit", { query: { target: id, limit: AUDIT_SHOWN } }).then((p) => p.items) : Promise.resolve(null),
      ]);
      setUser(u);
      setActivity(a);
      setAudit(entries);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id, isAdmin]);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  useEffect(() => {
    if (user) document.title = `${user.name} · ${t.navUsers} · ${t.appName}`;
  }, [user, t]);

  if (error && !user) {
    return (
      <div className="page">
        <BackLink />
        <LoadError message={error} onRetry={() => setReloadKey((k) => k + 1)} />
      </div>
    );
  }
  if (!user || !activity || !me) return <Loading />;

  const refusal = changeRefusal(me, user, can("users:write"), t);
  const self = user.id === me.id;
  const endSession = async (sharedSessionId: string, product: string) => {
    try {
      await api("/shared-sessions/end", { method: "POST", body: { ids: [sharedSessionId] } });
      toast(t.sessionEndedOf(user.name, seatLabel(productName(product), "concurrent")));
      void refreshSubscription();
      setReloadKey((k) => k + 1);
    } catch (e) {
      toast(errorText(e), "error");
    }
  };

  return (
    <div className="page">
      <BackLink />
      <header className="page-header">
        <div className="user-head">
          <Avatar name={user.name} />
          <div>
            <h1>{user.name}</h1>
            <div className="user-head-sub">{user.email ?? `${user.userName} · ${t.noEmail}`}</div>
            <div className="user-head-badges">
              <span className="badge badge-neutral">{t.roles[user.role]}</span>
              <span className={`status ${user.active ? "status-active" : "status-inactive"}`}>{user.active ? t.active : t.inactive}</span>
              {user.billingContact && <span className="badge badge-success">{t.billingContact}</span>}
              {self && <span className="badge badge-neutral">{t.you}</span>}
            </div>
          </div>
        </div>
      </header>

      <div className="detail-grid">
        <div className="detail-column">
          <section className="card card-padded" aria-labelledby="seats-title">
            <div className="detail-card-head">
              <h2 id="seats-title">{t.colSeats}</h2>
              <GuardedButton className="button button-secondary button-small" reason={can("seats:manage") ? null : t.needSeatsManage} onClick={() => setDialog("seats")}>
                {t.editSeats}
              </GuardedButton>
            </div>
            <SeatChips user={user} />
          </section>

          <section className="card card-padded" aria-labelledby="holding-title">
            <div className="detail-card-head">
              <h2 id="holding-title">{t.holdingNow}</h2>
            </div>
            {activity.holding.length === 0 ? (
              <p className="muted">{t.holdingNothing}</p>
            ) : (
              <ul className="holding-list">
                {activity.holding.map((h) => (
                  <li key={h.product}>
                    <div>
                      <div className="user-name">{seatLabel(productName(h.product), h.seatType)}</div>
                      <div className="cell-sub">
                        {t.holdingLine(h.state === "active" ? t.stateActive : t.statePending, h.sessions, formatRelative(h.since))}
                      </div>
                    </div>
                    {h.sharedSessionId && (
                      <GuardedButton
                        className="button button-ghost-danger button-small"
                        reason={can("seats:manage") ? null : t.needSeatsManage}
                        aria-label={t.endSessionOf(seatLabel(productName(h.product), h.seatType))}
                        onClick={() => void endSession(h.sharedSessionId!, h.product)}
                      >
                        {t.endSession}
                      </GuardedButton>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <ProfileCard key={user.id} user={user} refusal={refusal} onSaved={setUser} />
        </div>

        <div className="detail-column">
          <section className="card card-padded" aria-labelledby="activity-title">
            <div className="detail-card-head">
              <h2 id="activity-title">{t.activityTitle}</h2>
            </div>
            <dl className="facts">
              <dt>{t.lastSignIn}</dt>
              <dd>{activity.lastSignInAt ? <time dateTime={activity.lastSignInAt} title={formatDateTime(activity.lastSignInAt)}>{formatRelative(activity.lastSignInAt)}</time> : t.never}</dd>
              <dt>{t.lastSeatUse}</dt>
              <dd>
                {activity.lastSeatUse ? (
                  <>
                    <time dateTime={activity.lastSeatUse.at} title={formatDateTime(activity.lastSeatUse.at)}>
                      {formatRelative(activity.lastSeatUse.at)}
                    </time>{" "}
                    <span className="muted">· {productName(activity.lastSeatUse.product)}</span>
                  </>
                ) : (
                  t.never
                )}
              </dd>
              {user.createdAt && (
                <>
                  <dt>{t.addedOn}</dt>
                  <dd>{formatDateTime(user.createdAt)}</dd>
                </>
              )}
              <dt>{t.password}</dt>
              <dd>{user.hasPassword ? t.passwordSet : t.passwordNone}</dd>
            </dl>
            <div className="detail-actions">
              <GuardedButton className="button button-secondary button-small" reason={refusal} onClick={() => setDialog("password")}>
                {t.setPassword}
              </GuardedButton>
              <GuardedButton
                className={`button button-small ${user.active ? "button-ghost-danger" : "button-secondary"}`}
                reason={refusal ?? (self ? t.cannotDeactivateSelf : null)}
                onClick={() => setDialog("active")}
              >
                {user.active ? t.deactivate : t.reactivate}
              </GuardedButton>
              <GuardedButton className="button button-ghost-danger button-small" reason={refusal ?? (self ? t.cannotRemoveSelf : null)} onClick={() => setDialog("remove")}>
                {t.removeUser}
              </GuardedButton>
            </div>
          </section>

          {audit && (
            <section className="card card-padded" aria-labelledby="audit-title">
              <div className="detail-card-head">
                <h2 id="audit-title">{t.auditAbout}</h2>
              </div>
              {audit.length === 0 ? (
                <p className="muted">{t.auditAboutEmpty}</p>
              ) : (
                <ul className="audit-mini">
                  {audit.map((e) => (
                    <li key={e.id}>
                      <span>
                        <strong>{t.actions[e.action] ?? e.action}</strong>
                        {auditDetail(e, t, (slug, type) => seatLabel(productName(slug), type))}
                      </span>
                      <span className="audit-mini-when">
                        <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {e.actor.name ?? t.actorTypes[e.actor.type] ?? e.actor.type}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </div>
      </div>

      {dialog === "seats" && (
        <SeatsDialog
          user={user}
          onClose={() => setDialog(null)}
          onChanged={(updated) => {
            setUser(updated);
            void refreshSubscription();
          }}
          onDone={(_, message) => {
            setDialog(null);
            toast(message);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {dialog === "password" && (
        <PasswordDialog
          user={user}
          onClose={() => setDialog(null)}
          onDone={(updated) => {
            setDialog(null);
            setUser(updated);
            toast(t.passwordChanged(user.name));
          }}
        />
      )}
      {dialog === "active" && (
        <ActiveDialog
          user={user}
          onClose={() => setDialog(null)}
          onDone={(updated) => {
            setDialog(null);
            setUser(updated);
            toast(updated.active ? t.reactivated(user.name) : t.deactivated(user.name));
            void refreshSubscription();
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {dialog === "remove" && (
        <RemoveUserDialog
          user={user}
          onClose={() => setDialog(null)}
          onRemoved={() => {
            toast(t.userRemoved(user.name));
            void refreshSubscription();
            navigate("/users");
          }}
        />
      )}
    </div>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <Link to="/users" className="back-link">
      <svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true">
        <path d="M12 4l-6 6 6 6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {t.backToUsers}
    </Link>
  );
}

/** A short reading of an audit entry's details: the seat granted or revoked, the fields changed. */
function auditDetail(e: AuditEntry, t: Messages, seat: (product: string, type: string) => string): string {
  const d = e.details as { product?: string; type?: string; previous?: string; changed?: string[]; active?: boolean; role?: { from: string; to: string } };
  if ((e.action === "seat.granted" || e.action === "seat.revoked") && d.product && d.type) return ` · ${seat(d.product, d.type)}`;
  if (e.action === "user.updated" && d.changed?.length) {
    return ` · ${d.changed
      .map((f) =>
        f === "active" && d.active !== undefined
          ? d.active ? t.auditReactivated : t.auditDeactivated
          : f === "role" && d.role
            ? `${t.fieldNames.role} ${t.roles[d.role.from] ?? d.role.from} → ${t.roles[d.role.to] ?? d.role.to}`
            : t.fieldNames[f] ?? f,
      )
      .join(", ")}`;
  }
  return "";
}

/** Name, role, privileges and billing contact; saved together, confirmed in place. */
function ProfileCard({ user, refusal, onSaved }: { user: User; refusal: string | null; onSaved: (user: User) => void }) {
  const { t } = useI18n();
  const { isAdmin } = useAuth();
  const toast = useToast();
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [privileges, setPrivileges] = useState<Privilege[]>(user.privileges);
  const [billingContact, setBillingContact] = useState(user.billingContact);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const effectiveBilling = role === "admin" && billingContact;
  const body = useMemo(() => {
    const change: Record<string, unknown> = {};
    if (name.trim() !== user.name) change.name = name.trim();
    if (role !== user.role) change.role = role;
    if (role === "manager" && privileges.slice().sort().join() !== user.privileges.slice().sort().join()) change.privileges = privileges;
    if (role === "manager" && user.role !== "manager") change.privileges = privileges;
    if (isAdmin && effectiveBilling !== user.billingContact) change.billingContact = effectiveBilling;
    return change;
  }, [name, role, privileges, effectiveBilling, user, isAdmin]);
  const dirty = Object.keys(body).length > 0;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const updated = await api<User>(`/users/${encodeURIComponent(user.id)}`, { method: "PATCH", body });
      const what = Object.keys(body).map((f) => t.fieldNames[f] ?? f).join(", ");
      toast(t.profileSaved(updated.name, what));
      setSaved(t.savedInPlace);
      onSaved(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const disabled = refusal !== null || busy;
  return (
    <section className="card card-padded" aria-labelledby="profile-title">
      <div className="detail-card-head">
        <h2 id="profile-title">{t.profileTitle}</h2>
      </div>
      {refusal && <p className="reason">{refusal}</p>}
      <form className="form" onSubmit={save}>
        <Field label={t.fullName} htmlFor="user-name">
          <input id="user-name" required maxLength={200} value={name} disabled={disabled} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t.role} htmlFor="user-role" help={isAdmin ? undefined : t.onlyAdminsCreateAdmins}>
          <select id="user-role" value={role} disabled={disabled} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="agent">{t.roles.agent}</option>
            <option value="manager">{t.roles.manager}</option>
            <option value="admin" disabled={!isAdmin}>
              {t.roles.admin}
            </option>
          </select>
        </Field>
        {role === "manager" && <PrivilegesFieldset privileges={privileges} onChange={setPrivileges} disabled={disabled} />}
        {isAdmin && (
          <label className="check" title={role === "admin" ? undefined : t.billingAdminsOnly}>
            <input type="checkbox" checked={effectiveBilling} disabled={disabled || role !== "admin"} onChange={(e) => setBillingContact(e.target.checked)} />
            <span>
              {t.billingContact}
              {role !== "admin" && <span className="field-help"> · {t.billingAdminsOnly}</span>}
            </span>
          </label>
        )}
        <ErrorMessage>{error}</ErrorMessage>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={disabled || !dirty}>
            {busy ? t.saving : t.saveChanges}
          </button>
          {saved && !dirty && (
            <span className="inline-status" role="status">
              {saved}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

function PasswordDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api<User>(`/users/${encodeURIComponent(user.id)}`, { method: "PATCH", body: { password } }));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t.setPasswordOf(user.name)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" form="password-form" className="button button-primary" disabled={busy || password.length < 8}>
            {busy ? t.saving : t.setPassword}
          </button>
        </>
      }
    >
      <form id="password-form" className="form" onSubmit={submit}>
        <Field label={t.newPassword} htmlFor="new-password" help={t.setPasswordHelp}>
          <input id="new-password" type="password" minLength={8} maxLength={200} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <ErrorMessage>{error}</ErrorMessage>
      </form>
    </Dialog>
  );
}

function ActiveDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api<User>(`/users/${encodeURIComponent(user.id)}`, { method: "PATCH", body: { active: !user.active } }));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={user.active ? t.deactivateTitle(user.name) : t.reactivateTitle(user.name)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy} data-autofocus>
            {t.cancel}
          </button>
          <button type="button" className={`button ${user.active ? "button-danger" : "button-primary"}`} onClick={() => void toggle()} disabled={busy}>
            {busy ? t.saving : user.active ? t.deactivate : t.reactivate}
          </button>
        </>
      }
    >
      <p>{user.active ? t.deactivateBody : t.reactivateBody}</p>
      <ErrorMessage>{error}</ErrorMessage>
    </Dialog>
  );
}
