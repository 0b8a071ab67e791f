import { useState, type FormEvent } from "react";
import { errorText } from "../api";
import { useAuth } from "../auth";
import { useI18n } from "../i18n";
import { Brand, LanguageSelect } from "../components/Shell";
import { ErrorMessage } from "../components/ui";

export function SignInPage() {
  const { t } = useI18n();
  const { signIn, expired } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>{t.signInTitle}</h1>
        <p className="auth-sub">{t.signInSub}</p>
        {expired && !error && <p className="message message-info">{t.sessionExpired}</p>}
        <form onSubmit={submit} noValidate={false}>
          <div className="field">
            <label htmlFor="signin-email">{t.email}</label>
            <input
              id="signin-email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="signin-password">{t.password}</label>
            <input
              id="signin-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "signin-error" : undefined}
            />
          </div>
          <ErrorMessage id="signin-error">{error}</ErrorMessage>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        </form>
      </div>
      <div className="auth-footer">
        <LanguageSelect id="signin-language" />
      </div>
    </div>
  );
}

export function AgentNotice() {
  const { t } = useI18n();
  const { user, signOut } = useAuth();
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>{t.agentTitle}</h1>
        <p className="auth-sub">{t.agentBody(user?.name ?? "")}</p>
        <button type="button" className="button button-primary button-block" onClick={() => void signOut()}>
          {t.signOut}
        </button>
      </div>
      <div className="auth-footer">
        <LanguageSelect id="agent-language" />
      </div>
    </div>
  );
}
