import { useEffect } from "react";
import { AuthProvider, useAuth } from "./auth";
import { DataProvider } from "./data";
import { I18nProvider, useI18n } from "./i18n";
import { navigate, useLocation } from "./router";
import { Shell, useNavItems } from "./components/Shell";
import { ToastProvider } from "./components/Toast";
import { SignInPage, AgentNotice } from "./pages/SignIn";
import { UsersPage } from "./pages/Users";
import { UserDetailPage } from "./pages/UserDetail";
import { GroupsPage } from "./pages/Groups";
import { SharedSessionsPage } from "./pages/SharedSessions";
import { SubscriptionPage } from "./pages/Subscription";
import { AuditPage } from "./pages/Audit";
import { SettingsPage } from "./pages/Settings";
import { OverviewPage } from "./pages/Overview";
import { WebhooksPage } from "./pages/Webhooks";
import { DormantSeatsPage } from "./pages/DormantSeats";

const pages: Record<string, () => React.JSX.Element> = {
  "/overview": OverviewPage,
  "/users": UsersPage,
  "/groups": GroupsPage,
  "/shared-sessions": SharedSessionsPage,
  "/subscription": SubscriptionPage,
  "/audit": AuditPage,
  "/settings": SettingsPage,
  "/webhooks": WebhooksPage,
  "/dormant-seats": DormantSeatsPage,
};

function Routes() {
  const { user } = useAuth();
  const { pathname } = useLocation();
  const { t } = useI18n();
  const nav = useNavItems();

  const target = !user ? (pathname === "/sign-in" ? null : "/sign-in") : pathname === "/" || pathname === "/sign-in" ? "/users" : null;
  useEffect(() => {
    if (!target) return;
    if (target === "/sign-in") {
      const here = window.location.pathname + window.location.search;
      navigate(here === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    } else {
      const next = new URLSearchParams(window.location.search).get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : target, { replace: true });
    }
  }, [target]);

  useEffect(() => {
    const page = nav.find((item) => item.path === pathname);
    document.title = page ? `${page.label} · ${t.appName}` : `${t.appName} · ${t.adminCenter}`;
  }, [pathname, nav, t]);

  if (!user) return pathname === "/sign-in" ? <SignInPage /> : null;
  if (user.role === "agent") return <AgentNotice />;
  if (target) return null;
  const Page = pages[pathname] ?? (/^\/users\/[^/]+$/.test(pathname) ? UserDetailPage : NotFound);
  return (
    <Shell>
      <Page />
    </Shell>
  );
}

function NotFound() {
  const { t } = useI18n();
  useEffect(() => navigate("/users", { replace: true }), []);
  return <p>{t.loading}</p>;
}

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <DataProvider>
          <ToastProvider>
            <Routes />
          </ToastProvider>
        </DataProvider>
      </AuthProvider>
    </I18nProvider>
  );
}
