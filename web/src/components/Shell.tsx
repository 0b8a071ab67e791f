// The frame around every signed-in page: a left navigation (a drawer on phones),
// who is signed in, the language switch and sign-out.
import { useEffect, useState, type ReactNode } from "react";
import { useAuth } from "../auth";
import { useI18n, type Lang } from "../i18n";
import { Link, useLocation } from "../router";
import { Avatar } from "./ui";

export interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
}

const icons = {
  overview: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M3 11l9-7 9 7v9a1 1 0 01-1 1h-5v-6h-6v6H4a1 1 0 01-1-1z" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinejoin="round" />
    </svg>
  ),
  users: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <circle cx="9" cy="8" r="3.5" fill="none" stroke="currentColor" strokeWidth="1.7" />
      <path d="M2.5 19c.8-3.3 3.4-5 6.5-5s5.7 1.7 6.5 5" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
      <path d="M16 4.8a3.5 3.5 0 010 6.4M18.5 14.3c1.5.8 2.6 2.4 3 4.7" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
    </svg>
  ),
  sessions: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <rect x="3" y="4" width="18" height="12" rx="2" fill="none" stroke="currentColor" strokeWidth="1.7" />
      <path d="M8 20h8M12 16v4" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
    </svg>
  ),
  subscription: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
    </svg>
  ),
  groups: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <rect x="3" y="3" width="7" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.7" />
      <rect x="14" y="3" width="7" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.7" />
      <rect x="3" y="14" width="7" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.7" />
      <path d="M17.5 14v7M14 17.5h7" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
    </svg>
  ),
  audit: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M6 3h9l4 4v14H6z" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinejoin="round" />
      <path d="M9 11h7M9 15h7M9 7h3" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
    </svg>
  ),
  settings: (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="1.7" />
      <path
        d="M12 2.8v2.4M12 18.8v2.4M21.2 12h-2.4M5.2 12H2.8M18.5 5.5l-1.7 1.7M7.2 16.8l-1.7 1.7M18.5 18.5l-1.7-1.7M7.2 7.2L5.5 5.5"
        stroke="currentColor"
        strokeWidth="1.7"
        strokeLinecap="round"
      />
    </svg>
  ),
};

export function useNavItems(): NavItem[] {
  const { t, lang } = useI18n();
  const { isAdmin, can } = useAuth();
  const items: NavItem[] = [
    { path: "/overview", label: t.navOverview, icon: icons.overview },
    { path: "/users", label: t.navUsers, icon: icons.users },
    { path: "/groups", label: t.navGroups, icon: icons.groups },
    { path: "/shared-sessions", label: t.navSessions, icon: icons.sessions },
    { path: "/subscription", label: t.navSubscription, icon: icons.subscription },
  ];
  if (can("seats:manage")) items.push({ path: "/dormant-seats", label: lang === "fr" ? "Postes dormants" : "Dormant seats", icon: icons.users });
  if (isAdmin) {
    items.push(
      { path: "/audit", label: t.navAudit, icon: icons.audit },
      { path: "/webhooks", label: "Webhooks", icon: icons.audit },
      { path: "/settings", label: t.navSettings, icon: icons.settings },
    );
  }
  return items;
}

export function Brand() {
  const { t } = useI18n();
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        <svg viewBox="0 0 32 32" width="28" height="28">
          <rect width="32" height="32" rx="8" fill="currentColor" />
          <path d="M9 21h14M11 16h10M13 11h6" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
        </svg>
      </span>
      <span className="brand-text">
        <span className="brand-name">{t.appName}</span>
        <span className="brand-sub">{t.adminCenter}</span>
      </span>
    </div>
  );
}

export function LanguageSelect({ id = "language" }: { id?: string }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="language">
      <label htmlFor={id}>{t.language}</label>
      <select id={id} value={lang} onChange={(event) => setLang(event.target.value as Lang)}>
        <option value="en" lang="en">
          English
        </option>
        <option value="fr" lang="fr">
          Français
        </option>
      </select>
    </div>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user, signOut } = useAuth();
  const { pathname } = useLocation();
  const items = useNavItems();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => setMenuOpen(false), [pathname]);

  return (
    <div className={`shell${menuOpen ? " shell-menu-open" : ""}`}>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <Brand />
        <button
          type="button"
          className="icon-button menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          aria-label={menuOpen ? t.closeMenu : t.openMenu}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            {menuOpen ? (
              <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            ) : (
              <path d="M4 7h16M4 12h16M4 17h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            )}
          </svg>
        </button>
      </header>
      <aside className="sidebar" id="sidebar">
        <div className="sidebar-brand">
          <Brand />
        </div>
        <nav aria-label={t.mainNav}>
          <ul>
            {items.map((item) => {
              const current = pathname === item.path || pathname.startsWith(`${item.path}/`);
              return (
                <li key={item.path}>
                  <Link to={item.path} className={`nav-link${current ? " nav-link-current" : ""}`} aria-current={current ? "page" : undefined}>
                    {item.icon}
                    <span>{item.label}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {user && (
            <div className="whoami">
              <Avatar name={user.name} />
              <div className="whoami-text">
                <span className="whoami-name">{user.name}</span>
                <span className="whoami-role">
                  {t.roles[user.role]}
                  {user.billingContact ? ` · ${t.billingContact}` : ""}
                </span>
              </div>
            </div>
          )}
          <LanguageSelect />
          <button type="button" className="button button-secondary button-block" onClick={() => void signOut()}>
            {t.signOut}
          </button>
        </div>
      </aside>
      {menuOpen && <div className="scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
