// Manage users (S7, S8, S10): every user with their named and concurrent seats,
// filtered by seat the way the seed describes ("Filter by category" → Seats →
// "Filter by" → "By seat"), with grants, revocations and bulk actions.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type RowSelectionState } from "@tanstack/react-table";
import { api, ApiError, errorText, forEachLimited, type Page, type Privilege, type Role, type SeatType, type User } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { useQueryState } from "../router";
import { Avatar, Dialog, EmptyState, ErrorMessage, Field, GuardedButton, LoadError, Loading, PageHeader, Reason, SuccessMessage } from "../components/ui";
import { ImportDialog } from "../components/ImportDialog";

const PAGE_SIZE = 50;
const column = createColumnHelper<User>();

export function UsersPage() {
  const { t, seatLabel } = useI18n();
  const { user: me, can } = useAuth();
  const { products, productName, refreshSubscription } = useData();
  const [params, setParams] = useQueryState();

  const q = params.get("q") ?? "";
  const role = params.get("role") ?? "";
  const active = params.get("active") ?? "";
  const seat = params.get("seat") ?? "";
  const category = seat ? "seats" : params.get("category") ?? "";

  const [search, setSearch] = useState(q);
  const [users, setUsers] = useState<User[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<
    | { kind: "add" }
    | { kind: "import" }
    | { kind: "seats"; user: User }
    | { kind: "remove"; user: User }
    | { kind: "bulk"; mode: "grant" | "revoke" }
    | null
  >(null);

  const canWriteUsers = can("users:write");
  const canManageSeats = can("seats:manage");

  // The search box updates the URL after a short pause, not on every key.
  useEffect(() => setSearch((current) => (current.trim() === q ? current : q)), [q]);
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => setParams({ q: search.trim() || undefined }), 300);
    return () => clearTimeout(timer);
  }, [search, q, setParams]);

  const query = useMemo(
    () => ({ q: q || undefined, role: role || undefined, active: active || undefined, seat: seat || undefined, limit: PAGE_SIZE }),
    [q, role, active, seat],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setRowSelection({});
    api<Page<User>>("/users", { query, signal: controller.signal })
      .then((page) => {
        setUsers(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((e) => {
        if ((e as Error).name === "AbortError") return;
        setUsers([]);
        setNextCursor(null);
        setError(errorText(e));
        setLoading(false);
      });
    return () => controller.abort();
  }, [query, reloadKey]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await api<Page<User>>("/users", { query: { ...query, cursor: nextCursor } });
      setUsers((current) => {
        const seen = new Set(current.map((u) => u.id));
        return [...current, ...page.items.filter((u) => !seen.has(u.id))];
      });
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const replaceUser = useCallback((updated: User) => {
    setUsers((current) => current.map((u) => (u.id === updated.id ? updated : u)));
  }, []);

  const seatOptions = useMemo(
    () => products.flatMap((p) => (["named", "concurrent"] as const).map((type) => ({ value: `${p.slug}:${type}`, label: seatLabel(p.name, type) }))),
    [products, seatLabel],
  );

  const filtered = Boolean(q || role || active || seat);
  const selectedUsers = users.filter((u) => rowSelection[u.id]);

  const columns = useMemo(
    () => [
      column.display({
        id: "select",
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label={t.selectAllShown}
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input type="checkbox" aria-label={t.selectUser(row.original.name)} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
        ),
        meta: { className: "col-select" },
      }),
      column.accessor("name", {
        header: t.colUser,
        cell: ({ row }) => (
          <div className="user-cell">
            <Avatar name={row.original.name} />
            <div>
              <div className="user-name">
                {row.original.name}
                {row.original.id === me?.id && <span className="muted"> ({t.you})</span>}
              </div>
              <UserEmail user={row.original} />
            </div>
          </div>
        ),
        meta: { className: "col-user" },
      }),
      column.accessor("role", {
        header: t.colRole,
        cell: ({ row }) => (
          <div>
            <div>{t.roles[row.original.role] ?? row.original.role}</div>
            {row.original.role === "manager" && row.original.privileges.length > 0 && (
              <div className="cell-sub">{row.original.privileges.map((p) => t.privileges[p] ?? p).join(", ")}</div>
            )}
            {row.original.billingContact && <div className="cell-sub">{t.billingContact}</div>}
          </div>
        ),
        meta: { className: "col-half" },
      }),
      column.accessor("seats", {
        header: t.colSeats,
        cell: ({ row }) =>
          row.original.seats.length === 0 ? (
            <span className="muted">{t.noSeat}</span>
          ) : (
            <ul className="chips" aria-label={t.colSeats}>
              {[...row.original.seats]
                .sort((a, b) => productName(a.product).localeCompare(productName(b.product)))
                .map((s) => (
                  <li key={`${s.product}:${s.type}`} className={`chip chip-${s.type}`}>
                    {seatLabel(productName(s.product), s.type)}
                  </li>
                ))}
            </ul>
          ),
        meta: { className: "col-seats" },
      }),
      column.accessor("active", {
        header: t.colStatus,
        cell: ({ row }) => (
          <span className={`status ${row.original.active ? "status-active" : "status-inactive"}`}>{row.original.active ? t.active : t.inactive}</span>
        ),
        meta: { className: "col-half" },
      }),
      column.display({
        id: "actions",
        header: () => <span className="visually-hidden">{t.colActions}</span>,
        cell: ({ row }) => (
          <div className="row-actions">
            <GuardedButton
              className="button button-secondary button-small"
              aria-label={t.editSeatsOf(row.original.name)}
              reason={canManageSeats ? null : t.needSeatsManage}
              onClick={() => setDialog({ kind: "seats", user: row.original })}
            >
              {t.editSeats}
            </GuardedButton>
            <GuardedButton
              className="button button-ghost-danger button-small"
              aria-label={t.removeNamed(row.original.name)}
              reason={!canWriteUsers ? t.needUsersWrite : row.original.id === me?.id ? t.cannotRemoveSelf : null}
              onClick={() => setDialog({ kind: "remove", user: row.original })}
            >
              {t.remove}
            </GuardedButton>
          </div>
        ),
        meta: { className: "col-actions" },
      }),
    ],
    [t, me?.id, canManageSeats, canWriteUsers, productName, seatLabel],
  );

  const table = useReactTable({
    data: users,
    columns,
    getRowId: (u) => u.id,
    state: { rowSelection },
    onRowSelectionChange: setRowSelection,
    getCoreRowModel: getCoreRowModel(),
  });

  const afterSeatChange = () => {
    void refreshSubscription();
  };

  return (
    <div className="page">
      <PageHeader
        title={t.navUsers}
        subtitle={t.usersSub}
        actions={
          <>
            <GuardedButton
              className="button button-secondary"
              reason={canWriteUsers ? null : t.needUsersWrite}
              reasonId="add-user-reason"
              onClick={() => setDialog({ kind: "import" })}
            >
              <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
                <path d="M10 3v9M6 8.5l4 4 4-4M4 14.5v1.5a1 1 0 001 1h10a1 1 0 001-1v-1.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              {t.importCsv}
            </GuardedButton>
            <GuardedButton
              className="button button-primary"
              reason={canWriteUsers ? null : t.needUsersWrite}
              reasonId="add-user-reason"
              onClick={() => setDialog({ kind: "add" })}
            >
              <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
                <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
              {t.addUser}
            </GuardedButton>
          </>
        }
      />

      {(!canWriteUsers || !canManageSeats) && (
        <div className="reasons">
          {!canWriteUsers && <Reason id="add-user-reason">{t.needUsersWrite}</Reason>}
          {!canManageSeats && <Reason id="seats-reason">{t.needSeatsManage}</Reason>}
        </div>
      )}

      <section className="card">
        <div className="filters" role="search">
          <div className="field field-search">
            <label htmlFor="user-search">{t.search}</label>
            <input id="user-search" type="search" placeholder={t.searchPlaceholder} value={search} onChange={(event) => setSearch(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="filter-role">{t.role}</label>
            <select id="filter-role" value={role} onChange={(event) => setParams({ role: event.target.value || undefined })}>
              <option value="">{t.allRoles}</option>
              {(["admin", "manager", "agent"] as const).map((r) => (
                <option key={r} value={r}>
                  {t.roles[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-status">{t.status}</label>
            <select id="filter-status" value={active} onChange={(event) => setParams({ active: event.target.value || undefined })}>
              <option value="">{t.allStatuses}</option>
              <option value="true">{t.active}</option>
              <option value="false">{t.inactive}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-category">{t.filterCategory}</label>
            <select
              id="filter-category"
              value={category}
              onChange={(event) =>
                setParams(event.target.value === "seats" ? { category: "seats" } : { category: undefined, seat: undefined })
              }
            >
              <option value="">{t.categoryNone}</option>
              <option value="seats">{t.categorySeats}</option>
            </select>
          </div>
          {category === "seats" && (
            <div className="field field-wide">
              <label htmlFor="filter-seat">{t.filterBy}</label>
              <select id="filter-seat" value={seat} onChange={(event) => setParams({ seat: event.target.value || undefined, category: undefined })}>
                <option value="">{t.chooseSeat}</option>
                <optgroup label={t.bySeat}>
                  {seatOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                  {seat && !seatOptions.some((o) => o.value === seat) && <option value={seat}>{seat}</option>}
                </optgroup>
              </select>
            </div>
          )}
          {(filtered || category) && (
            <button
              type="button"
              className="button button-link filters-clear"
              onClick={() => {
                setSearch("");
                setParams({ q: undefined, role: undefined, active: undefined, seat: undefined, category: undefined });
              }}
            >
              {t.clearFilters}
            </button>
          )}
        </div>

        <div className="bulkbar" aria-label={t.colActions}>
          <span className="bulkbar-count" aria-live="polite">
            {selectedUsers.length > 0 ? t.selectedCount(selectedUsers.length) : loading ? "" : t.shownCount(users.length, nextCursor !== null)}
          </span>
          <div className="bulkbar-actions">
            <GuardedButton
              className="button button-secondary button-small"
              reason={canManageSeats ? null : t.needSeatsManage}
              reasonId="seats-reason"
              disabled={selectedUsers.length === 0}
              title={selectedUsers.length === 0 ? t.selectUsersFirst : undefined}
              onClick={() => setDialog({ kind: "bulk", mode: "grant" })}
            >
              {t.grantSeat}
            </GuardedButton>
            <GuardedButton
              className="button button-secondary button-small"
              reason={canManageSeats ? null : t.needSeatsManage}
              reasonId="seats-reason"
              disabled={selectedUsers.length === 0}
              title={selectedUsers.length === 0 ? t.selectUsersFirst : undefined}
              onClick={() => setDialog({ kind: "bulk", mode: "revoke" })}
            >
              {t.revokeSeat}
            </GuardedButton>
            {selectedUsers.length > 0 && (
              <button type="button" className="button button-link button-small" onClick={() => setRowSelection({})}>
                {t.clearSelection}
              </button>
            )}
          </div>
        </div>

        {notice && <SuccessMessage>{notice}</SuccessMessage>}
        {error && <LoadError message={error} onRetry={() => setReloadKey((k) => k + 1)} />}

        {loading ? (
          <Loading />
        ) : users.length === 0 && !error ? (
          <EmptyState title={filtered ? t.usersEmptyFiltered : t.usersEmpty}>{filtered && <p>{t.usersEmptyFilteredHint}</p>}</EmptyState>
        ) : (
          users.length > 0 && (
            <div className="table-wrap">
              <table className="table table-responsive" aria-label={t.navUsers}>
                <thead>
                  {table.getHeaderGroups().map((group) => (
                    <tr key={group.id}>
                      {group.headers.map((header) => (
                        <th key={header.id} scope="col" className={(header.column.columnDef.meta as { className?: string } | undefined)?.className}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                        </th>
                      ))}
                    </tr>
                  ))}
                </thead>
                <tbody>
                  {table.getRowModel().rows.map((row) => (
                    <tr key={row.id} className={row.getIsSelected() ? "row-selected" : undefined}>
                      {row.getVisibleCells().map((cell) => {
                        const header = cell.column.columnDef.header;
                        return (
                          <td
                            key={cell.id}
                            className={(cell.column.columnDef.meta as { className?: string } | undefined)?.className}
                            data-label={typeof header === "string" ? header : undefined}
                          >
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
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

      {dialog?.kind === "add" && (
        <AddUserDialog
          onClose={() => setDialog(null)}
          onAdded={(user) => {
            setDialog(null);
            setNotice(t.userAdded(user.name));
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {dialog?.kind === "import" && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onImported={(result) => {
            setDialog(null);
            setNotice(t.imported(result.created, result.updated, result.unchanged));
            setReloadKey((k) => k + 1);
            afterSeatChange();
          }}
        />
      )}
      {dialog?.kind === "seats" && (
        <SeatsDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onChanged={(updated) => {
            replaceUser(updated);
            afterSeatChange();
          }}
          onDone={(updated) => {
            setDialog(null);
            setNotice(`${t.seatsOf(updated.name)}: ${t.seatsSaved}`);
          }}
        />
      )}
      {dialog?.kind === "remove" && (
        <RemoveUserDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onRemoved={() => {
            setUsers((current) => current.filter((u) => u.id !== dialog.user.id));
            setDialog(null);
            setNotice(t.userRemoved(dialog.user.name));
            afterSeatChange();
          }}
        />
      )}
      {dialog?.kind === "bulk" && (
        <BulkSeatDialog
          mode={dialog.mode}
          users={selectedUsers}
          onClose={() => setDialog(null)}
          onChanged={(updated, revoked) => {
            if (updated) replaceUser(updated);
            if (revoked) {
              setUsers((current) =>
                current.map((u) => (u.id === revoked.userId ? { ...u, seats: u.seats.filter((s) => s.product !== revoked.product) } : u)),
              );
            }
          }}
          onDone={(message) => {
            afterSeatChange();
            setDialog(null);
            setRowSelection({});
            setNotice(message);
          }}
        />
      )}
    </div>
  );
}

/** The sign-in email; a user SCIM provisioned without one shows its userName, and why it cannot sign in. */
function UserEmail({ user }: { user: User }) {
  const { t } = useI18n();
  if (user.email !== null) return <div className="user-email">{user.email}</div>;
  return (
    <div className="user-email">
      {user.userName} · <span className="user-no-email">{t.noEmail}</span>
    </div>
  );
}

function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (user: User) => void }) {
  const { t } = useI18n();
  const { isAdmin, can } = useAuth();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [privileges, setPrivileges] = useState<Privilege[]>([]);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api<User>("/users", {
        method: "POST",
        body: {
          email: email.trim(),
          name: name.trim(),
          role,
          ...(role === "manager" ? { privileges } : {}),
          ...(password ? { password } : {}),
        },
      });
      onAdded(user);
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const emailError = apiError?.code === "EMAIL_TAKEN" ? apiError.detail : apiError?.fieldError("email");
  const nameError = apiError?.fieldError("name");
  const passwordError = apiError?.fieldError("password");
  const generalError = error && !emailError && !nameError && !passwordError ? errorText(error) : null;

  return (
    <Dialog
      title={t.addUserTitle}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" form="add-user-form" className="button button-primary" disabled={busy}>
            {busy ? t.saving : t.addUser}
          </button>
        </>
      }
    >
      <form id="add-user-form" onSubmit={submit} className="form">
        <Field label={t.fullName} htmlFor="new-user-name" error={nameError}>
          <input id="new-user-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} data-autofocus />
        </Field>
        <Field label={t.email} htmlFor="new-user-email" error={emailError}>
          <input
            id="new-user-email"
            type="email"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? "new-user-email-error" : undefined}
          />
        </Field>
        <Field label={t.role} htmlFor="new-user-role" help={isAdmin ? undefined : t.onlyAdminsCreateAdmins}>
          <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="agent">{t.roles.agent}</option>
            <option value="manager">{t.roles.manager}</option>
            <option value="admin" disabled={!isAdmin}>
              {t.roles.admin}
            </option>
          </select>
        </Field>
        {role === "manager" && (
          <fieldset className="fieldset">
            <legend>{t.privilegesLabel}</legend>
            {(["users:write", "seats:manage"] as const).map((p) => {
              const held = can(p);
              return (
                <label key={p} className="check" title={held ? undefined : t.privilegeNotHeld}>
                  <input
                    type="checkbox"
                    checked={privileges.includes(p)}
                    disabled={!held}
                    onChange={(e) => setPrivileges((current) => (e.target.checked ? [...current, p] : current.filter((x) => x !== p)))}
                  />
                  <span>{t.privileges[p]}</span>
                </label>
              );
            })}
            <p className="field-help">{!isAdmin ? t.privilegeNotHeld : t.privilegesHelp}</p>
          </fieldset>
        )}
        <Field label={t.passwordOptional} htmlFor="new-user-password" help={t.passwordHelp} error={passwordError}>
          <input id="new-user-password" type="password" minLength={8} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <ErrorMessage>{generalError}</ErrorMessage>
      </form>
    </Dialog>
  );
}

type SeatChoice = "" | SeatType;

function SeatsDialog({
  user,
  onClose,
  onChanged,
  onDone,
}: {
  user: User;
  onClose: () => void;
  onChanged: (user: User) => void;
  onDone: (user: User) => void;
}) {
  const { t } = useI18n();
  const { subscription, productName } = useData();
  const initial = useMemo(() => Object.fromEntries(user.seats.map((s) => [s.product, s.type])) as Record<string, SeatType>, [user]);
  const [choices, setChoices] = useState<Record<string, SeatChoice>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const current = useRef<User>(user);

  const lines = useMemo(() => {
    const bySlug = new Map((subscription ?? []).map((line) => [line.product, line]));
    const slugs = new Set([...bySlug.keys(), ...user.seats.map((s) => s.product)]);
    return [...slugs]
      .map((slug) => ({ slug, name: productName(slug), line: bySlug.get(slug) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [subscription, user.seats, productName]);

  const changed = lines.filter(({ slug }) => (choices[slug] ?? "") !== (initial[slug] ?? ""));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    const failures: Record<string, string> = {};
    for (const { slug } of changed) {
      const choice = choices[slug] ?? "";
      try {
        if (choice === "") {
          await api(`/users/${encodeURIComponent(user.id)}/seats/${encodeURIComponent(slug)}`, { method: "DELETE" });
          current.current = { ...current.current, seats: current.current.seats.filter((s) => s.product !== slug) };
        } else {
          current.current = await api<User>(`/users/${encodeURIComponent(user.id)}/seats/${encodeURIComponent(slug)}`, {
            method: "PUT",
            body: { type: choice },
          });
        }
        onChanged(current.current);
      } catch (e) {
        failures[slug] = errorText(e);
      }
    }
    setBusy(false);
    if (Object.keys(failures).length === 0) onDone(current.current);
    else setErrors(failures);
  };

  return (
    <Dialog
      title={t.seatsOf(user.name)}
      onClose={onClose}
      busy={busy}
      wide
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" form="seats-form" className="button button-primary" disabled={busy || changed.length === 0}>
            {busy ? t.saving : t.saveChanges}
          </button>
        </>
      }
    >
      <p className="dialog-intro">{t.seatsDialogHelp}</p>
      <form id="seats-form" onSubmit={save} className="seat-lines">
        {lines.map(({ slug, name, line }) => {
          const choice = choices[slug] ?? "";
          const namedFree = line ? line.named.total - line.named.assigned + (initial[slug] === "named" ? 1 : 0) : 0;
          const namedDisabled = !line || (namedFree <= 0 && initial[slug] !== "named");
          return (
            <fieldset key={slug} className={`seat-line${errors[slug] ? " seat-line-invalid" : ""}`} aria-describedby={errors[slug] ? `seat-error-${slug}` : undefined}>
              <legend>{name}</legend>
              <div className="segmented segmented-radios">
                <label className={choice === "" ? "checked" : undefined}>
                  <input type="radio" name={`seat-${slug}`} value="" checked={choice === ""} onChange={() => setChoices({ ...choices, [slug]: "" })} />
                  <span>{t.noSeatOption}</span>
                </label>
                <label className={`${choice === "named" ? "checked" : ""}${namedDisabled ? " disabled" : ""}`}>
                  <input
                    type="radio"
                    name={`seat-${slug}`}
                    value="named"
                    disabled={namedDisabled}
                    checked={choice === "named"}
                    onChange={() => setChoices({ ...choices, [slug]: "named" })}
                  />
                  <span>
                    {t.seatTypes.named}
                    {line && <small> · {t.namedLeft(Math.max(0, line.named.total - line.named.assigned), line.named.total)}</small>}
                  </span>
                </label>
                <label className={`${choice === "concurrent" ? "checked" : ""}${!line ? " disabled" : ""}`}>
                  <input
                    type="radio"
                    name={`seat-${slug}`}
                    value="concurrent"
                    disabled={!line}
                    checked={choice === "concurrent"}
                    onChange={() => setChoices({ ...choices, [slug]: "concurrent" })}
                  />
                  <span>
                    {t.seatTypes.concurrent}
                    {line && <small> · {t.sharedCount(line.concurrent.total)}</small>}
                  </span>
                </label>
              </div>
              {!line && <p className="field-help">{t.noSubscriptionLine}</p>}
              {errors[slug] && (
                <p className="field-error" id={`seat-error-${slug}`} role="alert">
                  {errors[slug]}
                </p>
              )}
            </fieldset>
          );
        })}
      </form>
    </Dialog>
  );
}

function RemoveUserDialog({ user, onClose, onRemoved }: { user: User; onClose: () => void; onRemoved: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/users/${encodeURIComponent(user.id)}`, { method: "DELETE" });
      onRemoved();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t.removeTitle(user.name)}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy} data-autofocus>
            {t.cancel}
          </button>
          <button type="button" className="button button-danger" onClick={() => void remove()} disabled={busy}>
            {busy ? t.saving : t.removeUser}
          </button>
        </>
      }
    >
      <p>
        <strong>{user.name}</strong> · {user.email ?? user.userName}
      </p>
      <p>{t.removeBody}</p>
      <ErrorMessage>{error}</ErrorMessage>
    </Dialog>
  );
}

function BulkSeatDialog({
  mode,
  users,
  onClose,
  onChanged,
  onDone,
}: {
  mode: "grant" | "revoke";
  users: User[];
  onClose: () => void;
  onChanged: (updated: User | null, revoked: { userId: string; product: string } | null) => void;
  onDone: (message: string) => void;
}) {
  const { t, seatLabel } = useI18n();
  const { subscription, products } = useData();
  const options = useMemo(() => {
    const subscribed = subscription?.map((line) => ({ slug: line.product, name: line.name })) ?? products;
    return subscribed.slice().sort((a, b) => a.name.localeCompare(b.name));
  }, [subscription, products]);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState<{ name: string; message: string }[]>([]);
  const [done, setDone] = useState<number | null>(null);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (!value) return;
    setBusy(true);
    setFailures([]);
    const [product, type] = value.split(":");
    const results = await forEachLimited(users, 4, async (user) => {
      const path = `/users/${encodeURIComponent(user.id)}/seats/${encodeURIComponent(product)}`;
      if (mode === "grant") {
        const updated = await api<User>(path, { method: "PUT", body: { type } });
        onChanged(updated, null);
      } else {
        await api(path, { method: "DELETE" });
        onChanged(null, { userId: user.id, product });
      }
    });
    const failed = results
      .map((result, i) => (result.status === "rejected" ? { name: users[i].name, message: errorText(result.reason) } : null))
      .filter((x): x is { name: string; message: string } => x !== null);
    const ok = users.length - failed.length;
    setBusy(false);
    if (failed.length === 0) onDone(t.bulkDone(ok, users.length));
    else {
      setFailures(failed);
      setDone(ok);
    }
  };

  return (
    <Dialog
      title={mode === "grant" ? t.bulkGrantTitle(users.length) : t.bulkRevokeTitle(users.length)}
      onClose={() => (done !== null ? onDone(t.bulkDone(done, users.length)) : onClose())}
      busy={busy}
      footer={
        done !== null ? (
          <button type="button" className="button button-primary" onClick={() => onDone(t.bulkDone(done, users.length))}>
            {t.close}
          </button>
        ) : (
          <>
            <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
              {t.cancel}
            </button>
            <button type="submit" form="bulk-form" className={`button ${mode === "grant" ? "button-primary" : "button-danger"}`} disabled={busy || !value}>
              {busy ? t.saving : mode === "grant" ? t.grantSeat : t.revokeSeat}
            </button>
          </>
        )
      }
    >
      <form id="bulk-form" onSubmit={run} className="form">
        <p className="dialog-intro">{t.namesAnd(users.slice(0, 5).map((u) => u.name), Math.max(0, users.length - 5))}</p>
        <Field label={mode === "grant" ? t.seat : t.product} htmlFor="bulk-seat" help={mode === "grant" ? t.bulkGrantHelp : undefined}>
          <select id="bulk-seat" value={value} onChange={(e) => setValue(e.target.value)} required disabled={done !== null}>
            <option value="">{t.chooseSeat}</option>
            {mode === "grant"
              ? options.map((p) => (
                  <optgroup key={p.slug} label={p.name}>
                    <option value={`${p.slug}:named`}>{seatLabel(p.name, "named")}</option>
                    <option value={`${p.slug}:concurrent`}>{seatLabel(p.name, "concurrent")}</option>
                  </optgroup>
                ))
              : options.map((p) => (
                  <option key={p.slug} value={`${p.slug}:`}>
                    {p.name}
                  </option>
                ))}
          </select>
        </Field>
        {done !== null && <p>{t.bulkDone(done, users.length)}</p>}
        {failures.length > 0 && (
          <ul className="failures" role="alert">
            {failures.map((f) => (
              <li key={f.name}>
                <strong>{f.name}</strong>: {f.message}
              </li>
            ))}
          </ul>
        )}
      </form>
    </Dialog>
  );
}
