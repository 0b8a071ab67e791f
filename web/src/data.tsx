// Account-wide data several pages show: the product catalogue (slug → name) and the
// subscription counts. Pages call refreshSubscription() after an action so that the
// numbers everywhere update without a reload.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, errorText, type Page, type Product, type SubscriptionLine } from "./api";
import { useAuth } from "./auth";

interface Data {
  /** The catalogue's products and the subscription's, by name. */
  products: Pick<Product, "slug" | "name">[];
  subscription: SubscriptionLine[] | null;
  subscriptionError: string | null;
  productName: (slug: string) => string;
  refreshSubscription: () => Promise<void>;
}

const DataContext = createContext<Data | null>(null);

export function DataProvider({ children }: { children: ReactNode }) {
  const { user, isStaff } = useAuth();
  const [catalogue, setCatalogue] = useState<Product[]>([]);
  const [subscription, setSubscription] = useState<SubscriptionLine[] | null>(null);
  const [subscriptionError, setSubscriptionError] = useState<string | null>(null);

  const refreshSubscription = useCallback(async () => {
    try {
      const answer = await api<{ items: SubscriptionLine[] }>("/subscription");
      setSubscription(answer.items);
      setSubscriptionError(null);
    } catch (error) {
      setSubscriptionError(errorText(error));
    }
  }, []);

  useEffect(() => {
    setSubscription(null);
    setSubscriptionError(null);
    if (!user || !isStaff) return;
    let cancelled = false;
    (async () => {
      const all: Product[] = [];
      let cursor: string | null = null;
      try {
        do {
          const page: Page<Product> = await api<Page<Product>>("/products", { query: { limit: 500, cursor } });
          all.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor && !cancelled);
        if (!cancelled) setCatalogue(all);
      } catch {
        // The subscription also names its products; the catalogue only adds the others.
      }
    })();
    void refreshSubscription();
    return () => {
      cancelled = true;
    };
  }, [user?.id, isStaff, refreshSubscription]);

  const value = useMemo<Data>(() => {
    const names = new Map<string, string>();
    for (const p of catalogue) names.set(p.slug, p.name);
    for (const line of subscription ?? []) names.set(line.product, line.name);
    const products = [...names.entries()]
      .map(([slug, name]) => ({ slug, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      products,
      subscription,
      subscriptionError,
      productName: (slug) => names.get(slug) ?? slug,
      refreshSubscription,
    };
  }, [catalogue, subscription, subscriptionError, refreshSubscription]);

  return <DataContext.Provider value={value}>{children}</DataContext.Provider>;
}

export function useData(): Data {
  const value = useContext(DataContext);
  if (!value) throw new Error("useData outside DataProvider");
  return value;
}
