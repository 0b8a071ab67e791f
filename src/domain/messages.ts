// Messages for people, in English and French (the seed's language). Codes never change;
// only these texts follow Accept-Language.
import type { ErrorCode, MessageParams } from "./errors.js";

export type Language = "en" | "fr";
export const LANGUAGES: readonly Language[] = ["en", "fr"];

/** S5, word for word. */
export const ALL_SHARED_SEATS_IN_USE_MESSAGE: Record<Language, string> = {
  en: "All shared seats are in use. To start a session, please wait for a seat to become available.",
  fr: "Tous les postes partagés sont utilisés. Pour démarrer une session, veuillez attendre qu'un poste soit disponible.",
};

type Text = string | ((p: MessageParams) => string);

const titles: Record<Language, Record<ErrorCode, string>> = {
  en: {
    VALIDATION_FAILED: "Invalid request",
    UNAUTHENTICATED: "Not signed in",
    INVALID_CREDENTIALS: "Wrong email or password",
    FORBIDDEN: "Not allowed",
    NOT_BILLING_CONTACT: "Billing contact only",
    NO_SEAT_ASSIGNED: "No seat assigned",
    NOT_FOUND: "Not found",
    EMAIL_TAKEN: "Email already in use",
    PRODUCT_EXISTS: "Product already exists",
    NO_NAMED_SEAT_AVAILABLE: "No named seat available",
    NAMED_SEATS_IN_USE: "Named seats in use",
    NO_SUBSCRIPTION: "No subscription for this product",
    LAST_ADMIN: "Last admin",
    LAST_BILLING_CONTACT: "Last billing contact",
    ALL_SHARED_SEATS_IN_USE: "All shared seats are in use",
    SEAT_COOLDOWN: "Seat cooling down",
    SESSION_ENDED_BY_ADMIN: "Session ended by an admin",
    SESSION_ENDED: "Session ended",
    TOO_MANY_SESSIONS: "Too many open sessions",
    USER_INACTIVE: "User inactive",
    PAYLOAD_TOO_LARGE: "Request too large",
    UNSUPPORTED_MEDIA_TYPE: "Unsupported content type",
    IDEMPOTENCY_KEY_REUSED: "Idempotency key reused",
    IDEMPOTENCY_KEY_IN_USE: "Idempotency key in use",
    RATE_LIMITED: "Too many requests",
    NOT_ACCEPTABLE: "Not acceptable",
    SERVICE_UNAVAILABLE: "Service unavailable",
    INTERNAL: "Internal error",
  },
  fr: {
    VALIDATION_FAILED: "Requête invalide",
    UNAUTHENTICATED: "Non connecté",
    INVALID_CREDENTIALS: "E-mail ou mot de passe incorrect",
    FORBIDDEN: "Action non autorisée",
    NOT_BILLING_CONTACT: "Réservé au contact de facturation",
    NO_SEAT_ASSIGNED: "Aucun poste attribué",
    NOT_FOUND: "Introuvable",
    EMAIL_TAKEN: "Adresse e-mail déjà utilisée",
    PRODUCT_EXISTS: "Le produit existe déjà",
    NO_NAMED_SEAT_AVAILABLE: "Aucun poste nominatif disponible",
    NAMED_SEATS_IN_USE: "Postes nominatifs attribués",
    NO_SUBSCRIPTION: "Aucun abonnement pour ce produit",
    LAST_ADMIN: "Dernier administrateur",
    LAST_BILLING_CONTACT: "Dernier contact de facturation",
    ALL_SHARED_SEATS_IN_USE: "Tous les postes partagés sont utilisés",
    SEAT_COOLDOWN: "Poste en délai de carence",
    SESSION_ENDED_BY_ADMIN: "Session terminée par un administrateur",
    SESSION_ENDED: "Session terminée",
    TOO_MANY_SESSIONS: "Trop de sessions ouvertes",
    USER_INACTIVE: "Utilisateur inactif",
    PAYLOAD_TOO_LARGE: "Requête trop volumineuse",
    UNSUPPORTED_MEDIA_TYPE: "Type de contenu non pris en charge",
    IDEMPOTENCY_KEY_REUSED: "Clé d'idempotence réutilisée",
    IDEMPOTENCY_KEY_IN_USE: "Clé d'idempotence en cours d'utilisation",
    RATE_LIMITED: "Trop de requêtes",
    NOT_ACCEPTABLE: "Format non disponible",
    SERVICE_UNAVAILABLE: "Service indisponible",
    INTERNAL: "Erreur interne",
  },
};

const details: Record<Language, Record<ErrorCode, Text>> = {
  en: {
    VALIDATION_FAILED: "The request is invalid; see errors for each field.",
    UNAUTHENTICATED: "Sign in first: send a valid bearer token.",
    INVALID_CREDENTIALS: "The email or password is wrong, or the user is inactive.",
    FORBIDDEN: (p) =>
      p.reason === "admin_only" ? "Only an admin may do this."
        : p.reason === "privilege_escalation" ? "You cannot give privileges or roles you do not hold yourself."
        : p.reason === "outranked" ? "This user holds privileges you do not hold: only an admin, or a manager holding them all, may change or remove it."
        : p.reason === "import_seats" ? 'This import grants or revokes seats: that needs the "seats:manage" privilege. Remove the seats column, or ask someone who manages seats.'
        : p.privilege ? `This needs the "${p.privilege}" privilege.` : "You may not do this.",
    NOT_BILLING_CONTACT: "Only the account's billing contact can change the subscription.",
    NO_SEAT_ASSIGNED: (p) => `You have no seat of ${p.product}. Ask an admin to grant you one.`,
    NOT_FOUND: (p) => `No such ${p.what ?? "resource"}.`,
    EMAIL_TAKEN: (p) => `The email ${p.email} is already in use.`,
    PRODUCT_EXISTS: (p) => `A product with the slug ${p.slug} already exists.`,
    NO_NAMED_SEAT_AVAILABLE: (p) =>
      p.wanted !== undefined
        ? `${p.wanted} users need a named seat of ${p.product} and ${p.left} of ${p.total} are left: nothing was changed. Add licenses or choose fewer users.`
        : `All ${p.total} named seats of ${p.product} are assigned. Add licenses or revoke a named seat first.`,
    NAMED_SEATS_IN_USE: (p) => `${p.assigned} named seats of ${p.product} are assigned; revoke some before lowering the total to ${p.requested}.`,
    NO_SUBSCRIPTION: (p) => `The account has no subscription for ${p.product}.`,
    LAST_ADMIN: "The account must keep at least one active admin.",
    LAST_BILLING_CONTACT: "The account must keep at least one billing contact.",
    ALL_SHARED_SEATS_IN_USE: ALL_SHARED_SEATS_IN_USE_MESSAGE.en,
    SEAT_COOLDOWN: (p) => `An admin ended your shared session. You can take a seat of ${p.product} again in ${p.seconds} seconds.`,
    SESSION_ENDED_BY_ADMIN: "An admin ended this session.",
    SESSION_ENDED: "This session has ended.",
    TOO_MANY_SESSIONS: (p) => `You already have ${p.max} open sessions of ${p.product}. End one to start another.`,
    USER_INACTIVE: (p) => `${p.name} is inactive: reactivate the user before granting a named seat.`,
    PAYLOAD_TOO_LARGE: (p) => `The request body is larger than ${p.limit}.`,
    UNSUPPORTED_MEDIA_TYPE: (p) => `Send the body as ${p.expected ?? "application/json"}.`,
    IDEMPOTENCY_KEY_REUSED: "This Idempotency-Key was used with a different request.",
    IDEMPOTENCY_KEY_IN_USE: "A request with this Idempotency-Key is still being processed; retry shortly.",
    RATE_LIMITED: (p) => `Too many attempts. Try again in ${p.seconds} seconds.`,
    NOT_ACCEPTABLE: "This resource is available as application/json or text/csv.",
    SERVICE_UNAVAILABLE: "The database is not ready.",
    INTERNAL: "Something went wrong on our side. The request id identifies it in our logs.",
  },
  fr: {
    VALIDATION_FAILED: "La requête est invalide ; voir errors pour chaque champ.",
    UNAUTHENTICATED: "Connectez-vous d'abord : envoyez un jeton valide.",
    INVALID_CREDENTIALS: "L'e-mail ou le mot de passe est incorrect, ou l'utilisateur est inactif.",
    FORBIDDEN: (p) =>
      p.reason === "admin_only" ? "Seul un administrateur peut faire cela."
        : p.reason === "privilege_escalation" ? "Vous ne pouvez pas donner des privilèges ou des rôles que vous n'avez pas."
        : p.reason === "outranked" ? "Cet utilisateur a des privilèges que vous n'avez pas : seul un administrateur, ou un gestionnaire qui les a tous, peut le modifier ou le supprimer."
        : p.reason === "import_seats" ? "Cet import attribue ou retire des postes : il faut le privilège « seats:manage ». Retirez la colonne seats, ou demandez à quelqu'un qui gère les postes."
        : p.privilege ? `Il faut le privilège « ${p.privilege} ».` : "Vous n'êtes pas autorisé à faire cela.",
    NOT_BILLING_CONTACT: "Seul le contact de facturation du compte peut modifier l'abonnement.",
    NO_SEAT_ASSIGNED: (p) => `Vous n'avez aucun poste de ${p.product}. Demandez-en un à un administrateur.`,
    NOT_FOUND: (p) => `Ressource introuvable (${p.what ?? "ressource"}).`,
    EMAIL_TAKEN: (p) => `L'adresse ${p.email} est déjà utilisée.`,
    PRODUCT_EXISTS: (p) => `Un produit avec l'identifiant ${p.slug} existe déjà.`,
    NO_NAMED_SEAT_AVAILABLE: (p) =>
      p.wanted !== undefined
        ? `${p.wanted} utilisateurs ont besoin d'un poste nominatif de ${p.product} et il en reste ${p.left} sur ${p.total} : rien n'a été changé. Ajoutez des licences ou choisissez moins d'utilisateurs.`
        : `Les ${p.total} postes nominatifs de ${p.product} sont tous attribués. Ajoutez des licences ou retirez d'abord un poste nominatif.`,
    NAMED_SEATS_IN_USE: (p) => `${p.assigned} postes nominatifs de ${p.product} sont attribués ; retirez-en avant de ramener le total à ${p.requested}.`,
    NO_SUBSCRIPTION: (p) => `Le compte n'a pas d'abonnement à ${p.product}.`,
    LAST_ADMIN: "Le compte doit garder au moins un administrateur actif.",
    LAST_BILLING_CONTACT: "Le compte doit garder au moins un contact de facturation.",
    ALL_SHARED_SEATS_IN_USE: ALL_SHARED_SEATS_IN_USE_MESSAGE.fr,
    SEAT_COOLDOWN: (p) => `Un administrateur a mis fin à votre session partagée. Vous pourrez reprendre un poste de ${p.product} dans ${p.seconds} secondes.`,
    SESSION_ENDED_BY_ADMIN: "Un administrateur a mis fin à cette session.",
    SESSION_ENDED: "Cette session est terminée.",
    TOO_MANY_SESSIONS: (p) => `Vous avez déjà ${p.max} sessions ouvertes de ${p.product}. Terminez-en une pour en démarrer une autre.`,
    USER_INACTIVE: (p) => `${p.name} est inactif : réactivez l'utilisateur avant de lui attribuer un poste nominatif.`,
    PAYLOAD_TOO_LARGE: (p) => `Le corps de la requête dépasse ${p.limit}.`,
    UNSUPPORTED_MEDIA_TYPE: (p) => `Envoyez le corps en ${p.expected ?? "application/json"}.`,
    IDEMPOTENCY_KEY_REUSED: "Cette Idempotency-Key a déjà servi pour une autre requête.",
    IDEMPOTENCY_KEY_IN_USE: "Une requête avec cette Idempotency-Key est en cours ; réessayez dans un instant.",
    RATE_LIMITED: (p) => `Trop de tentatives. Réessayez dans ${p.seconds} secondes.`,
    NOT_ACCEPTABLE: "Cette ressource est disponible en application/json ou text/csv.",
    SERVICE_UNAVAILABLE: "La base de données n'est pas prête.",
    INTERNAL: "Une erreur s'est produite de notre côté. L'identifiant de requête la retrouve dans nos journaux.",
  },
};

export function errorTitle(code: ErrorCode, lang: Language): string {
  return titles[lang][code];
}

export function errorDetail(code: ErrorCode, params: MessageParams, lang: Language): string {
  const text = details[lang][code];
  return typeof text === "function" ? text(params) : text;
}

/** Field-level validation messages, by JSON-schema keyword. */
const fieldMessages: Record<Language, Record<string, Text>> = {
  en: {
    required: "is required",
    additionalProperties: "is not a known field",
    type: (p) => `must be ${p.type}`,
    minimum: (p) => `must be at least ${p.limit}`,
    maximum: (p) => `must be at most ${p.limit}`,
    minLength: (p) => (p.limit === "1" ? "must not be empty" : `must be at least ${p.limit} characters long`),
    maxLength: (p) => `must be at most ${p.limit} characters long`,
    pattern: "has an invalid format",
    format: (p) => (p.format === "email" ? "must be a valid email address" : `must be a valid ${p.format}`),
    enum: (p) => `must be one of: ${p.values}`,
    const: (p) => `must be ${p.values}`,
    minItems: (p) => `must have at least ${p.limit} items`,
    maxItems: (p) => `must have at most ${p.limit} items`,
    uniqueItems: "must not repeat items",
    json: "is not valid JSON",
    utf8: "is not valid UTF-8",
    unstorableText: (p) => `contains a character that cannot be stored (a NUL or an unpaired UTF-16 surrogate)${p.line ? ` on line ${p.line}` : ""}`,
    empty: "is empty",
    invalid: "is invalid",
    seatFilter: "must look like <product>:named or <product>:concurrent, or be none",
    billingContactAdminOnly: "only admins can be billing contacts",
    cursor: "is not a cursor this server issued",
    fromBeforeTo: "must be before to",
    tooManyPoints: (p) => `gives ${p.points} points; at most ${p.max} are allowed`,
    idempotencyKeyLength: (p) => `must be 1 to ${p.max} characters long`,
    lastEventId: "must be the id of an event this stream sent (digits)",
    csvUnclosedQuote: (p) => `has a quoted field opened on line ${p.line} that is never closed`,
    csvStrayQuote: (p) => `has a misplaced quote on line ${p.line}: quote whole fields, and double a quote inside one ("")`,
    webhookUrl: "must be an absolute URL such as https://hooks.example.com/seatkeeper",
    webhookScheme: "must start with https:// (plain http:// is refused unless SEATKEEPER_WEBHOOK_ALLOW_HTTP=1)",
    webhookCredentials: "must not carry a user name or password: authenticate deliveries with their signature",
    webhookPrivateAddress: (p) => `points to a loopback or private address${p.address ? ` (${p.address})` : ""}; such targets are refused unless SEATKEEPER_WEBHOOK_ALLOW_PRIVATE=1`,
    webhookUnresolved: (p) => `names a host that does not resolve (${p.host})`,
    csvEmpty: "is empty: send a CSV file whose first line is the header email,name,role,seats,password",
    csvNoRows: "has a header but no user rows",
    csvUnknownColumn: (p) => `names an unknown column "${p.column}"; the columns are ${p.columns}`,
    csvDuplicateColumn: (p) => `names the column ${p.column} twice`,
    csvMissingColumn: (p) => `needs the column ${p.column}`,
    csvFieldCount: (p) => `has ${p.actual} fields where the header has ${p.expected}`,
    importDuplicateEmail: (p) => `repeats the email of row ${p.first}`,
    importEmailTaken: "is already in use",
    importSeatFormat: (p) => `"${p.value}" must look like product:named or product:concurrent`,
    importSeatType: (p) => `"${p.value}": the seat type must be named or concurrent`,
    importProductTwice: (p) => `lists ${p.product} twice`,
    importTooManySeats: (p) => `lists ${p.count} seats; a row may list at most ${p.max}`,
    importUnknownProduct: (p) => `names an unknown product: ${p.product}`,
    importNoSubscription: (p) => `the account has no subscription for ${p.product}`,
    importNoNamedSeat: (p) => `no named seat of ${p.product} left: the account has ${p.total}, this import would assign ${p.needed}`,
    importAdminOnly: "only an admin may create admins or change them",
    importOutranked: "this user holds privileges you do not hold: only an admin, or a manager holding them all, may change it",
    importLastAdmin: "would leave the account without an active admin",
    importLastBillingContact: "would leave the account without a billing contact",
    importGroupSeat: (p) => `${p.product}: this user's seat comes from a group mapping; change it on the Groups page or in the identity provider`,
  },
  fr: {
    required: "est obligatoire",
    additionalProperties: "n'est pas un champ connu",
    type: (p) => `doit être de type ${p.type}`,
    minimum: (p) => `doit valoir au moins ${p.limit}`,
    maximum: (p) => `doit valoir au plus ${p.limit}`,
    minLength: (p) => (p.limit === "1" ? "ne doit pas être vide" : `doit compter au moins ${p.limit} caractères`),
    maxLength: (p) => `doit compter au plus ${p.limit} caractères`,
    pattern: "a un format invalide",
    format: (p) => (p.format === "email" ? "doit être une adresse e-mail valide" : `doit respecter le format ${p.format}`),
    enum: (p) => `doit être l'une des valeurs : ${p.values}`,
    const: (p) => `doit valoir ${p.values}`,
    minItems: (p) => `doit contenir au moins ${p.limit} éléments`,
    maxItems: (p) => `doit contenir au plus ${p.limit} éléments`,
    uniqueItems: "ne doit pas contenir de doublons",
    json: "n'est pas du JSON valide",
    utf8: "n'est pas de l'UTF-8 valide",
    unstorableText: (p) => `contient un caractère impossible à enregistrer (un NUL ou un substitut UTF-16 isolé)${p.line ? ` à la ligne ${p.line}` : ""}`,
    empty: "est vide",
    invalid: "est invalide",
    seatFilter: "doit être de la forme <produit>:named ou <produit>:concurrent, ou none",
    billingContactAdminOnly: "seuls les administrateurs peuvent être contacts de facturation",
    cursor: "n'est pas un curseur émis par ce serveur",
    fromBeforeTo: "doit précéder to",
    tooManyPoints: (p) => `donne ${p.points} points ; ${p.max} au plus sont permis`,
    idempotencyKeyLength: (p) => `doit compter de 1 à ${p.max} caractères`,
    lastEventId: "doit être l'identifiant d'un événement envoyé par ce flux (des chiffres)",
    csvUnclosedQuote: (p) => `contient un champ entre guillemets ouvert ligne ${p.line} et jamais fermé`,
    csvStrayQuote: (p) => `contient un guillemet mal placé ligne ${p.line} : entourez le champ entier de guillemets et doublez ceux qu'il contient ("")`,
    webhookUrl: "doit être une URL absolue, par exemple https://hooks.example.com/seatkeeper",
    webhookScheme: "doit commencer par https:// (http:// est refusé sauf si SEATKEEPER_WEBHOOK_ALLOW_HTTP=1)",
    webhookCredentials: "ne doit porter ni nom d'utilisateur ni mot de passe : authentifiez les envois par leur signature",
    webhookPrivateAddress: (p) => `désigne une adresse locale ou privée${p.address ? ` (${p.address})` : ""} ; ces cibles sont refusées sauf si SEATKEEPER_WEBHOOK_ALLOW_PRIVATE=1`,
    webhookUnresolved: (p) => `désigne un hôte introuvable (${p.host})`,
    csvEmpty: "est vide : envoyez un fichier CSV dont la première ligne est l'en-tête email,name,role,seats,password",
    csvNoRows: "contient un en-tête mais aucune ligne d'utilisateur",
    csvUnknownColumn: (p) => `nomme une colonne inconnue « ${p.column} » ; les colonnes sont ${p.columns}`,
    csvDuplicateColumn: (p) => `nomme deux fois la colonne ${p.column}`,
    csvMissingColumn: (p) => `doit contenir la colonne ${p.column}`,
    csvFieldCount: (p) => `compte ${p.actual} champs alors que l'en-tête en a ${p.expected}`,
    importDuplicateEmail: (p) => `reprend l'adresse e-mail de la ligne ${p.first}`,
    importEmailTaken: "est déjà utilisée",
    importSeatFormat: (p) => `« ${p.value} » doit être de la forme produit:named ou produit:concurrent`,
    importSeatType: (p) => `« ${p.value} » : le type de poste doit être named ou concurrent`,
    importProductTwice: (p) => `cite deux fois ${p.product}`,
    importTooManySeats: (p) => `cite ${p.count} postes ; une ligne en cite au plus ${p.max}`,
    importUnknownProduct: (p) => `cite un produit inconnu : ${p.product}`,
    importNoSubscription: (p) => `le compte n'a pas d'abonnement à ${p.product}`,
    importNoNamedSeat: (p) => `plus de poste nominatif de ${p.product} : le compte en a ${p.total}, cet import en attribuerait ${p.needed}`,
    importAdminOnly: "seul un administrateur peut créer ou modifier des administrateurs",
    importOutranked: "cet utilisateur a des privilèges que vous n'avez pas : seul un administrateur, ou un gestionnaire qui les a tous, peut le modifier",
    importLastAdmin: "laisserait le compte sans administrateur actif",
    importLastBillingContact: "laisserait le compte sans contact de facturation",
    importGroupSeat: (p) => `${p.product} : le poste de cet utilisateur vient d'une association de groupe ; modifiez-le sur la page Groupes ou dans le fournisseur d'identité`,
  },
};

/** A field message by key (a JSON-schema keyword or one of ours); `fallback` for unknown keys. */
export function fieldMessage(key: string, params: MessageParams, lang: Language, fallback = fieldMessages[lang].invalid as string): string {
  const text = fieldMessages[lang][key];
  if (text === undefined) return fallback;
  return typeof text === "function" ? text(params) : text;
}

/** Picks `fr` or `en` from an Accept-Language header, honouring q-values. */
export function pickLanguage(header: string | undefined): Language {
  if (!header) return "en";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...rest] = part.trim().split(";");
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) {
    if ((LANGUAGES as readonly string[]).includes(lang)) return lang as Language;
  }
  return "en";
}
