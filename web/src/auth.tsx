// The signed-in user. The token lives in sessionStorage, so a reload keeps the
// session and closing the tab ends it; any 401 sends the user back to sign-in.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, session, setUnauthenticatedHandler, type Privilege, type SessionUser, type SignIn, type User } from "./api";
import { navigate } from "./router";

interface Auth {
  user: SessionUser | null;
  /** True when the last session ended by a 401 rather than by signing out. */
  expired: boolean;
  signIn: (email: string, password: string) => Promise<SessionUser>;
  signOut: () => Promise<void>;
  can: (privilege: Privilege) => boolean;
  isAdmin: boolean;
  isStaff: boolean;
}

const AuthContext = createContext<Auth | null>(null);

function signInPath(): string {
  const here = window.location.pathname + window.location.search;
  return here.startsWith("/sign-in") || here === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here)}`;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(() => (session.token() ? session.user() : null));
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      if (!session.token()) return;
      session.clear();
      setUser(null);
      setExpired(true);
      navigate(signInPath(), { replace: true });
    });
  }, []);

  // Privileges are checked by the server against the user as it is now: refresh ours
  // after a reload so that the controls we enable match what the server will allow.
  useEffect(() => {
    const current = session.user();
    if (!session.token() || !current || current.role === "agent") return;
    api<User>(`/users/${encodeURIComponent(current.id)}`)
      .then((fresh) => {
        const next: SessionUser = {
          id: fresh.id,
          // A signed-in user has signed in with an email; keep it if SCIM has since removed it.
          email: fresh.email ?? current.email,
          name: fresh.name,
          role: fresh.role,
          privileges: fresh.privileges,
          billingContact: fresh.billingContact,
        };
        session.saveUser(next);
        setUser(next);
      })
      .catch(() => {
        // A 401 already signed us out; anything else keeps the stored user.
      });
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const answer = await api<SignIn>("/auth/login", {
      method: "POST",
      body: { email, password },
      noAuthRedirect: true,
    });
    session.save(answer.token, answer.user);
    setExpired(false);
    setUser(answer.user);
    return answer.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api("/auth/logout", { method: "POST", noAuthRedirect: true });
    } catch {
      // The token may already be revoked; signing out locally is what matters.
    }
    session.clear();
    setExpired(false);
    setUser(null);
    navigate("/sign-in");
  }, []);

  const value = useMemo<Auth>(() => {
    const isAdmin = user?.role === "admin";
    return {
      user,
      expired,
      signIn,
      signOut,
      isAdmin,
      isStaff: isAdmin || user?.role === "manager",
      can: (privilege) => isAdmin || (user?.role === "manager" && user.privileges.includes(privilege)),
    };
  }, [user, expired, signIn, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
