// Manage users (S7, S8, S10): every user with their named and concurrent seats,
// filtered by seat the way the seed describes ("Filter by category" → Seats →
// "Filter by" → "By seat"), with grants, revocations and bulk actions. Large accounts
// page through the server's cursor, sorted there by name as people read it, with the
// total count and "select all N matching" for one grant to all of them.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent } from "react";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { api, ApiError, errorText, type BulkSeatResult, type Page, type Privilege, type Role, type SeatType, type User, type UserFilter } from "../api";
import { useAuth } from "../auth";
import { useData } from "../data";
import { useI18n } from "../i18n";
import { Link, useQueryState } from "../router";
import { Avatar, Dialog, EmptyState, ErrorMessage, Field, GuardedButton, LoadError, Loading, PageHeader, Reason } from "../components/ui";
import { ImportDialog } from "../components/ImportDialog";
import { useToast } from "../components/Toast";
import "../users.css";

const PAGE_SIZE = 50;
const SORTS = ["name", "-name", "email", "-email"] as const;
type Sort = (typeof SORTS)[number];
const column = createColumnHelper<User>();

/** What the bulk dialog acts on: the users ticked, or every user matching the filters. */
type Selection = { kind: "users"; users: User[] } | { kind: "matching"; filter: UserFilter; count: number };

export function UsersPage() {
  const { t, seatLabel, formatNumber } = useI18n();
  const { user: me, can } = useAuth();
  const { products, refreshSubscription } = useData();
  const toast = useToast();
  const [params, setParams] = useQueryState();

  const q = params.get("q") ?? "";
  const role = params.get("role") ?? "";
  const active = params.get("active") ?? "";
  const seat = params.get("seat") ?? "";
  const sortParam = params.get("sort") ?? "name";
  const sort: Sort = (SORTS as readonly string[]).includes(sortParam) ? (sortParam as Sort) : "name";
  const category = seat ? "seats" : params.get("category") ?? "";

  const [search, setSearch] = useState(q);
  const [users, setUsers] = useState<User[]>([]);
  // The cursors of the pages before this one, and this one's: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [accountTotal, setAccountTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<Map<string, User>>(new Map());
  const [allMatching, setAllMatching] = useState(false);
  const lastClicked = useRef<number | null>(null);
  const [flash, setFlash] = useState<Set<string>>(new Set());
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

  const filter = useMemo<UserFilter>(
    () => ({ q: q || undefined, role: (role || undefined) as Role | undefined, active: active ? active === "true" : undefined, seat: seat || undefined }),
    [q, role, active, seat],
  );
  const filtered = Boolean(q || role || active || seat);

  // A new filter or sort starts again from the first page, with nothing selected.
  useEffect(() => {
    setCursors([null]);
    setSelected(new Map());
    setAllMatching(false);
    lastClicked.current = null;
  }, [filter, sort]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api<Page<User>>("/users", { query: { ...filter, sort, limit: PAGE_SIZE, cursor }, signal: controller.signal })
      .then((page) => {
        setUsers(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
        lastClicked.current = null;
      })
      .catch((e) => {
        if ((e as Error).name === "AbortError") return;
        setUsers([]);
        setNextCursor(null);
        setError(errorText(e));
        setLoading(false);
      });
    return () => controller.abort();
  }, [filter, sort, cursor, reloadKey]);

  useEffect(() => {
    const controller = new AbortController();
    const count = (query: UserFilter) => api<{ total: number }>("/users/count", { query: { ...query }, signal: controller.signal }).then((r) => r.total);
    setTotal(null);
    Promise.all([count(filter), filtered ? count({}) : null])
      .then(([matching, all]) => {
        setTotal(matching);
        setAccountTotal(all ?? matching);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [filter, filtered, reloadKey]);

  const replaceUser = useCallback((updated: User) => {
    setUsers((current) => current.map((u) => (u.id === updated.id ? updated : u)));
    setSelected((current) => (current.has(updated.id) ? new Map(current).set(updated.id, updated) : current));
  }, []);

  const flashRows = useCallback((ids: string[]) => {
    setFlash(new Set(ids));
    setTimeout(() => setFlash(new Set()), 3000);
  }, []);

  const seatOptions = useMemo(
    () => products.flatMap((p) => (["named", "concurrent"] as const).map((type) => ({ value: `${p.slug}:${type}`, label: seatLabel(p.name, type) }))),
    [products, seatLabel],
  );
  const seatName = (value: string) => seatOptions.find((o) => o.value === value)?.label ?? value;

  const pageStart = (cursors.length - 1) * PAGE_SIZE;
  const allOnPageSelected = users.length > 0 && users.every((u) => selected.has(u.id));
  const someOnPageSelected = users.some((u) => selected.has(u.id));
  const selectionCount = allMatching ? total ?? selected.size : selected.size;

  const toggleRow = (index: number, event: MouseEvent<HTMLInputElement>) => {
    const user = users[index];
    const on = !selected.has(user.id);
    // Shift-click ticks (or unticks) every row from the last one clicked to this one.
    const from = event.shiftKey && lastClicked.current !== null ? Math.min(lastClicked.current, index) : index;
    const to = event.shiftKey && lastClicked.current !== null ? Math.max(lastClicked.current, index) : index;
    lastClicked.current = index;
    setAllMatching(false);
    setSelected((current) => {
      const next = new Map(current);
      for (const u of users.slice(from, to + 1)) {
        if (on) next.set(u.id, u);
        else next.delete(u.id);
      }
      return next;
    });
  };

  const togglePage = () => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Map(current);
      for (const u of users) {
        if (allOnPageSelected) next.delete(u.id);
        else next.set(u.id, u);
      }
      return next;
    });
  };

  const clearSelection = () => {
    setSelected(new Map());
    setAllMatching(false);
  };

  const sortHeader = (key: "name" | "email", label: string) => {
    const activeSort = sort.replace("-", "") === key;
    const descending = activeSort && sort.startsWith("-");
    const nextSort = activeSort && !descending ? `-${key}` : key;
    return (
      <button
        type="button"
        className="sort-button"
        data-active={activeSort}
        aria-label={activeSort ? t.sortedBy(label, descending) : t.sortBy(label)}
        onClick={() => setParams({ sort: nextSort === "name" ? undefined : nextSort })}
      >
        {label}
        <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
          {activeSort && descending ? <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" /> : <path d="M2 8l4-4 4 4" fill="none" stroke="currentColor" strokeWidth="1.6" />}
        </svg>
      </button>
    );
  };

  const columns = useMemo(
    () => [
      column.display({
        id: "select",
        header: () => (
          <input
            type="checkbox"
            aria-label={t.selectAllShown}
            checked={allOnPageSelected}
            ref={(el) => {
              if (el) el.indeterminate = someOnPageSelected && !allOnPageSelected;
            }}
            onChange={togglePage}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={t.selectUser(row.original.name)}
            checked={selected.has(row.original.id)}
            onClick={(event) => toggleRow(row.index, event)}
            onChange={() => undefined}
          />
        ),
        meta: { className: "col-select" },
      }),
      column.accessor("name", {
        header: () => (
          <span className="nowrap">
            {sortHeader("name", t.colUser)}
            <span className="sort-sep" aria-hidden="true">
              ·
            </span>
            {sortHeader("email", t.colEmail)}
          </span>
        ),
        cell: ({ row }) => (
          <div className="user-cell">
            <Avatar name={row.original.name} />
            <div>
              <div className="user-name">
                <Link to={`/users/${encodeURIComponent(row.original.id)}`} className="user-link">
                  {row.original.name}
                </Link>
                {row.original.id === me?.id && <span className="muted"> ({t.you})</span>}
              </div>
              <UserEmail user={row.original} />
            </div>
          </div>
        ),
        meta: { className: "col-user", label: t.colUser },
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
        cell: ({ row }) => <SeatChips user={row.original} />,
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
    // toggleRow, togglePage and sortHeader read only the state listed here.
    [t, me?.id, canManageSeats, canWriteUsers, selected, users, allOnPageSelected, someOnPageSelected, sort],
  );

  const table = useReactTable({ data: users, columns, getRowId: (u) => u.id, getCoreRowModel: getCoreRowModel() });

  const afterSeatChange = () => {
    void refreshSubscription();
  };

  const summary =
    total === null || accountTotal === null
      ? null
      : !filtered
        ? t.usersTotal(formatNumber(total))
        : seat === "none"
          ? t.usersTotalWithoutSeat(formatNumber(accountTotal), formatNumber(total))
          : seat && !q && !role && !active
            ? t.usersTotalWithSeat(formatNumber(accountTotal), formatNumber(total), seatName(seat))
            : t.usersTotalMatching(formatNumber(accountTotal), formatNumber(total));

  const bulkSelection: Selection = allMatching ? { kind: "matching", filter, count: total ?? 0 } : { kind: "users", users: [...selected.values()] };

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
                <option value="none">{t.withoutSeat}</option>
                <optgroup label={t.bySeat}>
                  {seatOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                  {seat && seat !== "none" && !seatOptions.some((o) => o.value === seat) && <option value={seat}>{seat}</option>}
                </optgroup>
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="users-sort">{t.sortLabel}</label>
            <select id="users-sort" value={sort} onChange={(event) => setParams({ sort: event.target.value === "name" ? undefined : event.target.value })}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t.sorts[s]}
                </option>
              ))}
            </select>
          </div>
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
            {selectionCount > 0 ? t.selectedCount(selectionCount) : summary}
          </span>
          <div className="bulkbar-actions">
            <GuardedButton
              className="button button-secondary button-small"
              reason={canManageSeats ? null : t.needSeatsManage}
              reasonId="seats-reason"
              disabled={selectionCount === 0}
              title={selectionCount === 0 ? t.selectUsersFirst : undefined}
              onClick={() => setDialog({ kind: "bulk", mode: "grant" })}
            >
              {t.grantSeat}
            </GuardedButton>
            <GuardedButton
              className="button button-secondary button-small"
              reason={canManageSeats ? null : t.needSeatsManage}
              reasonId="seats-reason"
              disabled={selectionCount === 0}
              title={selectionCount === 0 ? t.selectUsersFirst : undefined}
              onClick={() => setDialog({ kind: "bulk", mode: "revoke" })}
            >
              {t.revokeSeat}
            </GuardedButton>
            {selectionCount > 0 && (
              <button type="button" className="button button-link button-small" onClick={clearSelection}>
                {t.clearSelection}
              </button>
            )}
          </div>
        </div>

        {allOnPageSelected && total !== null && total > users.length && (
          <div className="select-all-matching">
            {allMatching ? (
              <span>{t.allMatchingSelected(formatNumber(total))}</span>
            ) : (
              <>
                <span>{t.pageSelected(users.length)}</span>
                <button type="button" className="button button-link button-small" onClick={() => setAllMatching(true)}>
                  {t.selectAllMatching(formatNumber(total))}
                </button>
              </>
            )}
          </div>
        )}

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
                        <th
                          key={header.id}
                          scope="col"
                          className={(header.column.columnDef.meta as { className?: string } | undefined)?.className}
                          aria-sort={header.id === "name" ? (sort.startsWith("-") ? "descending" : "ascending") : undefined}
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                        </th>
                      ))}
                    </tr>
                  ))}
                </thead>
                <tbody>
                  {table.getRowModel().rows.map((row) => (
                    <tr key={row.id} className={[selected.has(row.id) ? "row-selected" : "", flash.has(row.id) ? "row-flash" : ""].join(" ").trim() || undefined}>
                      {row.getVisibleCells().map((cell) => {
                        const meta = cell.column.columnDef.meta as { className?: string; label?: string } | undefined;
                        const header = cell.column.columnDef.header;
                        return (
                          <td key={cell.id} className={meta?.className} data-label={meta?.label ?? (typeof header === "string" ? header : undefined)}>
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
        {users.length > 0 && (cursors.length > 1 || nextCursor) && (
          <nav className="pager" aria-label={t.pagination}>
            <span>{t.pageRange(formatNumber(pageStart + 1), formatNumber(pageStart + users.length), total === null ? null : formatNumber(total))}</span>
            <div className="pager-buttons">
              <button type="button" className="button button-secondary button-small" disabled={cursors.length <= 1 || loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t.previousPage}
              </button>
              <button type="button" className="button button-secondary button-small" disabled={!nextCursor || loading} onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}>
                {t.nextPage}
              </button>
            </div>
          </nav>
        )}
      </section>

      {dialog?.kind === "add" && (
        <AddUserDialog
          onClose={() => setDialog(null)}
          onAdded={(user, message, failed) => {
            setDialog(null);
            toast(message, failed ? "error" : "success");
            setReloadKey((k) => k + 1);
            afterSeatChange();
            flashRows([user.id]);
          }}
        />
      )}
      {dialog?.kind === "import" && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onImported={(result) => {
            setDialog(null);
            toast(t.imported(result.created, result.updated, result.unchanged));
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
          onDone={(updated, message) => {
            setDialog(null);
            toast(message);
            flashRows([updated.id]);
          }}
        />
      )}
      {dialog?.kind === "remove" && (
        <RemoveUserDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onRemoved={() => {
            setUsers((current) => current.filter((u) => u.id !== dialog.user.id));
            setSelected((current) => {
              const next = new Map(current);
              next.delete(dialog.user.id);
              return next;
            });
            setDialog(null);
            toast(t.userRemoved(dialog.user.name));
            setTotal((n) => (n === null ? n : n - 1));
            afterSeatChange();
          }}
        />
      )}
      {dialog?.kind === "bulk" && (
        <BulkSeatDialog
          mode={dialog.mode}
          selection={bulkSelection}
          onClose={() => setDialog(null)}
          onDone={(message) => {
            afterSeatChange();
            setDialog(null);
            const ids = users.filter((u) => allMatching || selected.has(u.id)).map((u) => u.id);
            clearSelection();
            setReloadKey((k) => k + 1);
            toast(message);
            flashRows(ids);
          }}
        />
      )}
    </div>
  );
}

/** A user's seats as chips, named "<product> – <type>". */
export function SeatChips({ user }: { user: User }) {
  const { t, seatLabel } = useI18n();
  const { productName } = useData();
  if (user.seats.length === 0) return <span className="muted">{t.noSeat}</span>;
  return (
    <ul className="chips" aria-label={t.colSeats}>
      {[...user.seats]
        .sort((a, b) => productName(a.product).localeCompare(productName(b.product)))
        .map((s) => (
          <li key={`${s.product}:${s.type}`} className={`chip chip-${s.type}`}>
            {seatLabel(productName(s.product), s.type)}
          </li>
        ))}
    </ul>
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

export const PRIVILEGES: Privilege[] = ["users:write", "seats:manage"];

/** A manager's privileges as checkboxes: the caller can give only those it holds itself. */
export function PrivilegesFieldset({ privileges, onChange, disabled = false }: {
  privileges: Privilege[];
  onChange: (update: (current: Privilege[]) => Privilege[]) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const { isAdmin, can } = useAuth();
  return (
    <fieldset className="fieldset" disabled={disabled}>
      <legend>{t.privilegesLabel}</legend>
      {PRIVILEGES.map((p) => {
        const held = can(p);
        return (
          <label key={p} className="check" title={held ? undefined : t.privilegeNotHeld}>
            <input
              type="checkbox"
              checked={privileges.includes(p)}
              disabled={!held}
              onChange={(e) => onChange((current) => (e.target.checked ? [...current, p] : current.filter((x) => x !== p)))}
            />
            <span>{t.privileges[p]}</span>
          </label>
        );
      })}
      <p className="field-help">{isAdmin ? t.privilegesHelp : t.privilegeNotHeld}</p>
    </fieldset>
  );
}

function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (user: User, message: string, failed: boolean) => void }) {
  const { t, seatLabel } = useI18n();
  const { isAdmin, can } = useAuth();
  const { subscription } = useData();
  const [seats, setSeats] = useState<Record<string, SeatType | "">>({});
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
      // The seats chosen, granted at once; a refusal (no named seat left) is said, the user stays.
      const granted: string[] = [];
      const failures: string[] = [];
      let latest = user;
      for (const line of subscription ?? []) {
        const type = seats[line.product];
        if (!type) continue;
        try {
          latest = await api<User>(`/users/${encodeURIComponent(user.id)}/seats/${encodeURIComponent(line.product)}`, { method: "PUT", body: { type } });
          granted.push(seatLabel(line.name, type));
        } catch (e) {
          failures.push(`${seatLabel(line.name, type)}: ${errorText(e)}`);
        }
      }
      const message = failures.length > 0 ? t.userAddedSeatsFailed(user.name, failures.join(" ")) : granted.length > 0 ? t.userAddedWithSeats(user.name, granted.join(", ")) : t.userAdded(user.name);
      onAdded(latest, message, failures.length > 0);
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
        {role === "manager" && <PrivilegesFieldset privileges={privileges} onChange={setPrivileges} />}
        {can("seats:manage") && subscription && subscription.length > 0 && (
          <fieldset className="fieldset add-user-seats">
            <legend>{t.seatsAtOnce}</legend>
            {subscription.map((line) => {
              const namedLeft = line.named.total - line.named.assigned;
              return (
                <div key={line.product} className="add-user-seat">
                  <label htmlFor={`new-user-seat-${line.product}`}>{line.name}</label>
                  <select
                    id={`new-user-seat-${line.product}`}
                    value={seats[line.product] ?? ""}
                    onChange={(e) => setSeats({ ...seats, [line.product]: e.target.value as SeatType | "" })}
                  >
                    <option value="">{t.noSeatOption}</option>
                    <option value="named" disabled={namedLeft <= 0}>
                      {`${t.seatTypes.named} (${t.namedLeft(Math.max(0, namedLeft), line.named.total)})`}
                    </option>
                    <option value="concurrent" disabled={line.concurrent.total === 0}>
                      {t.seatTypes.concurrent}
                    </option>
                  </select>
                </div>
              );
            })}
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

export function SeatsDialog({
  user,
  onClose,
  onChanged,
  onDone,
}: {
  user: User;
  onClose: () => void;
  onChanged: (user: User) => void;
  onDone: (user: User, message: string) => void;
}) {
  const { t, seatLabel } = useI18n();
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
    if (Object.keys(failures).length > 0) {
      setErrors(failures);
      return;
    }
    // Name each seat that changed: "Léa Fontaine: Remote Support v5 – Concurrent granted."
    const parts = changed.map(({ slug, name }) => {
      const choice = choices[slug] ?? "";
      return choice === "" ? t.seatRevokedPart(seatLabel(name, initial[slug])) : t.seatGrantedPart(seatLabel(name, choice));
    });
    onDone(current.current, t.seatsChangedOf(user.name, parts.join(", ")));
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

export function RemoveUserDialog({ user, onClose, onRemoved }: { user: User; onClose: () => void; onRemoved: () => void }) {
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
  selection,
  onClose,
  onDone,
}: {
  mode: "grant" | "revoke";
  selection: Selection;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t, seatLabel, formatNumber } = useI18n();
  const { subscription, products } = useData();
  const options = useMemo(() => {
    const subscribed = subscription?.map((line) => ({ slug: line.product, name: line.name })) ?? products;
    return subscribed.slice().sort((a, b) => a.name.localeCompare(b.name));
  }, [subscription, products]);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ result: BulkSeatResult; message: string } | null>(null);
  const count = selection.kind === "matching" ? selection.count : selection.users.length;

  // One request for the whole selection: the server changes every seat in one transaction.
  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (!value) return;
    setBusy(true);
    setError(null);
    const [product, type] = value.split(":");
    const target = selection.kind === "matching" ? { filter: selection.filter } : { users: selection.users.map((u) => u.id) };
    const name = options.find((o) => o.slug === product)?.name ?? product;
    try {
      const result =
        mode === "grant"
          ? await api<BulkSeatResult>(`/users/seats/${encodeURIComponent(product)}`, { method: "PUT", body: { type, ...target } })
          : await api<BulkSeatResult>(`/users/seats/${encodeURIComponent(product)}/revoke`, { method: "POST", body: target });
      const message = mode === "grant" ? t.bulkGranted(seatLabel(name, type), result.changed, result.unchanged) : t.bulkRevoked(name, result.changed, result.unchanged);
      if (result.skipped.length === 0) onDone(message);
      else {
        setOutcome({ result, message });
        setBusy(false);
      }
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={mode === "grant" ? t.bulkGrantTitle(count) : t.bulkRevokeTitle(count)}
      onClose={() => (outcome ? onDone(outcome.message) : onClose())}
      busy={busy}
      footer={
        outcome ? (
          <button type="button" className="button button-primary" onClick={() => onDone(outcome.message)}>
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
        <p className="dialog-intro">
          {selection.kind === "matching"
            ? t.bulkAllMatching(formatNumber(selection.count))
            : t.namesAnd(selection.users.slice(0, 5).map((u) => u.name), Math.max(0, selection.users.length - 5))}
        </p>
        <Field label={mode === "grant" ? t.seat : t.product} htmlFor="bulk-seat" help={mode === "grant" ? t.bulkGrantHelp : t.bulkRevokeHelp}>
          <select id="bulk-seat" value={value} onChange={(e) => setValue(e.target.value)} required disabled={outcome !== null}>
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
        <ErrorMessage>{error}</ErrorMessage>
        {outcome && (
          <>
            <p>{outcome.message}</p>
            <ul className="failures" role="alert">
              {outcome.result.skipped.map((f) => (
                <li key={f.user.id}>
                  <strong>{f.user.name}</strong>: {f.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </form>
    </Dialog>
  );
}
