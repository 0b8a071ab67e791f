// Small building blocks shared by the pages: dialogs, messages, bars, empty states.
import { useEffect, useId, useRef, type ButtonHTMLAttributes, type ReactNode } from "react";
import { useI18n } from "../i18n";

/** A modal native <dialog>: Escape and the close button call onClose; focus is trapped by the browser. */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  wide = false,
  busy = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  busy?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useI18n();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal() focuses the first focusable element, the close button: prefer the
    // element marked data-autofocus, else the first field of the dialog's body.
    const first =
      dialog?.querySelector<HTMLElement>("[data-autofocus]") ??
      dialog?.querySelector<HTMLElement>(".dialog-body input:not([type=hidden]):not([disabled]), .dialog-body select:not([disabled])");
    first?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      previous?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? " dialog-wide" : ""}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busyRef.current) onCloseRef.current();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label={t.close} onClick={onClose} disabled={busy}>
          <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
            <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  );
}

/** What failed to load, and a button to try again. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="inline-error">
      <ErrorMessage>{message}</ErrorMessage>
      <button type="button" className="button button-secondary button-small" onClick={onRetry}>
        {t.retry}
      </button>
    </div>
  );
}

export function ErrorMessage({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <p className="message message-error" role="alert" id={id}>
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
        <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <path d="M10 6v5M10 13.5v.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

export function SuccessMessage({ children }: { children: ReactNode }) {
  return (
    <p className="message message-success" role="status">
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
        <path d="M4.5 10.5l3.5 3.5 7.5-8" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

/** Why a control is not available to the signed-in user, shown next to it. */
export function Reason({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p className="reason" id={id}>
      <svg viewBox="0 0 20 20" width="15" height="15" aria-hidden="true">
        <rect x="4.5" y="9" width="11" height="8" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M7 9V6.5a3 3 0 016 0V9" fill="none" stroke="currentColor" strokeWidth="1.6" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

/** A button that, when the user may not use it, is disabled and says why (title and aria-describedby). */
export function GuardedButton({
  reason,
  reasonId,
  children,
  disabled,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { reason?: string | null; reasonId?: string }) {
  return (
    <button
      type="button"
      {...rest}
      disabled={Boolean(reason) || disabled}
      title={reason ?? rest.title}
      aria-describedby={reason && reasonId ? reasonId : rest["aria-describedby"]}
    >
      {children}
    </button>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t.loading}</span>
    </div>
  );
}

export function EmptyState({ title, children, icon = "users" }: { title: string; children?: ReactNode; icon?: "users" | "sessions" | "list" }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        {icon === "users" && (
          <svg viewBox="0 0 24 24" width="28" height="28">
            <circle cx="9" cy="8" r="3.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M2.5 19c.8-3.3 3.4-5 6.5-5s5.7 1.7 6.5 5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            <path d="M16 4.8a3.5 3.5 0 010 6.4M18.5 14.3c1.5.8 2.6 2.4 3 4.7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        )}
        {icon === "sessions" && (
          <svg viewBox="0 0 24 24" width="28" height="28">
            <rect x="3" y="4" width="18" height="12" rx="2" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M8 20h8M12 16v4" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        )}
        {icon === "list" && (
          <svg viewBox="0 0 24 24" width="28" height="28">
            <path d="M8 6h12M8 12h12M8 18h12" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            <circle cx="4" cy="6" r="1.2" fill="currentColor" />
            <circle cx="4" cy="12" r="1.2" fill="currentColor" />
            <circle cx="4" cy="18" r="1.2" fill="currentColor" />
          </svg>
        )}
      </div>
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

/** A horizontal bar with its numbers, exposed as an ARIA meter. */
export function Meter({ label, value, max, text, tone = "primary" }: { label: string; value: number; max: number; text: string; tone?: "primary" | "teal" }) {
  const ratio = max > 0 ? Math.min(1, value / max) : value > 0 ? 1 : 0;
  const full = max > 0 ? value >= max : value > 0;
  return (
    <div
      className={`meter meter-${tone}${full ? " meter-full" : ""}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={Math.max(max, value)}
      aria-valuenow={value}
      aria-valuetext={text}
    >
      <div className="meter-fill" style={{ width: `${ratio * 100}%` }} />
    </div>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Field({
  label,
  help,
  error,
  children,
  htmlFor,
}: {
  label: string;
  help?: ReactNode;
  error?: string | null;
  children: ReactNode;
  htmlFor: string;
}) {
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {help && !error && (
        <p className="field-help" id={`${htmlFor}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${htmlFor}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function Avatar({ name }: { name: string }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  const hue = Math.abs(hash) % 360;
  return (
    <span className="avatar" aria-hidden="true" style={{ background: `hsl(${hue} 45% 92%)`, color: `hsl(${hue} 45% 32%)` }}>
      {initials || "?"}
    </span>
  );
}
