// English and French, switchable in the app. The French wording follows the seed
// help page ("Gérer les utilisateurs", "Postes", "Par poste", "Nominatif"…).
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { setApiLanguage } from "./api";

export type Lang = "en" | "fr";

const en = {
  appName: "Seatkeeper",
  adminCenter: "Admin center",
  navUsers: "Manage users",
  navSessions: "Manage shared sessions",
  navGroups: "Groups",
  navSubscription: "Seats and subscription",
  navAudit: "Audit log",
  navSettings: "Settings",
  mainNav: "Main navigation",
  language: "Language",
  signOut: "Sign out",
  openMenu: "Open menu",
  closeMenu: "Close menu",
  loading: "Loading…",
  retry: "Try again",
  cancel: "Cancel",
  close: "Close",
  save: "Save",
  saving: "Saving…",
  loadMore: "Load more",
  loadingMore: "Loading…",
  skipToContent: "Skip to content",
  roles: { admin: "Admin", manager: "Manager", agent: "Agent" } as Record<string, string>,
  privileges: { "users:write": "Add/remove users", "seats:manage": "Manage seats" } as Record<string, string>,
  seatTypes: { named: "Named", concurrent: "Concurrent" } as Record<string, string>,
  active: "Active",
  inactive: "Inactive",
  you: "you",
  noEmail: "no email: cannot sign in",
  billingContact: "Billing contact",

  // Sign in
  signInTitle: "Sign in to the admin center",
  signInSub: "Manage users, seats and shared sessions for your account.",
  email: "Email",
  password: "Password",
  signIn: "Sign in",
  signingIn: "Signing in…",
  sessionExpired: "Your session has ended. Please sign in again.",
  agentTitle: "The admin center is for admins and managers",
  agentBody: (name: string) =>
    `You are signed in as ${name}, an agent. Agents work in the desktop or mobile agent app; the admin center is where admins and managers look after users, seats and shared sessions. If you need access, ask an admin of your account.`,

  // Manage users
  usersSub: "Everyone in your account, with their named and concurrent seats.",
  search: "Search",
  searchPlaceholder: "Name or email",
  role: "Role",
  allRoles: "All roles",
  status: "Status",
  allStatuses: "All statuses",
  filterCategory: "Filter by category",
  categoryNone: "All users",
  categorySeats: "Seats",
  filterBy: "Filter by",
  bySeat: "By seat",
  chooseSeat: "Choose a seat…",
  clearFilters: "Clear filters",
  colUser: "User",
  colEmail: "Email",
  colRole: "Role",
  colSeats: "Seats",
  colStatus: "Status",
  colActions: "Actions",
  noSeat: "No seat",
  addUser: "Add user",
  needUsersWrite: "You need the “Add/remove users” privilege to add or remove users.",
  needSeatsManage: "You need the “Manage seats” privilege to grant or revoke seats.",
  editSeats: "Edit seats",
  editSeatsOf: (name: string) => `Edit seats of ${name}`,
  remove: "Remove",
  removeNamed: (name: string) => `Remove ${name}`,
  selectAllShown: "Select all users shown",
  selectUser: (name: string) => `Select ${name}`,
  selectedCount: (n: number) => (n === 1 ? "1 user selected" : `${n} users selected`),
  clearSelection: "Clear selection",
  selectUsersFirst: "Select one or more users first.",
  grantSeat: "Grant seat",
  revokeSeat: "Revoke seat",
  usersEmptyFiltered: "No users match these filters.",
  usersEmptyFilteredHint: "Try another search or clear the filters.",
  usersEmpty: "No users yet.",
  shownCount: (n: number, more: boolean) => (more ? `Showing the first ${n} users` : n === 1 ? "1 user" : `${n} users`),
  addUserTitle: "Add a user",
  importCsv: "Import CSV",
  importTitle: "Import users from a CSV file",
  importFormatTitle: "File format and example",
  importExample: "Example file",
  importFormatRules: [
    "The first line names the columns: email and name are required; role, seats and password are optional, in any order.",
    "role: admin, manager or agent. Left empty, new users are agents and existing users keep their role.",
    "seats: product:named or product:concurrent, several separated by “;”. When the column is there, it is each user's complete set: seats it does not list are revoked.",
    "password: at least 8 characters; left empty, an existing user keeps theirs and a new user cannot sign in until one is set.",
    "A user whose email is already in your account is updated. If any row has an error, nothing is imported.",
  ],
  importFile: "CSV file",
  importFileHelp: "UTF-8, up to 20 MiB. The file is checked first; nothing changes until you click Import.",
  importChecking: "Checking the file…",
  importing: "Importing…",
  importAction: "Import",
  importCount: (n: number) => (n === 1 ? "Import 1 user" : `Import ${n} users`),
  importProgress: "Import progress",
  importPhases: { validating: "Checking rows", hashing: "Securing passwords", writing: "Writing users" } as Record<string, string>,
  importPreview: "Dry run",
  importCreated: "To create",
  importUpdated: "To update",
  importUnchanged: "Unchanged",
  importReady: "No errors. Click Import to apply these changes.",
  importNothingToDo: "Every user in the file is already as described: there is nothing to import.",
  importHasErrors: (n: number) => `${n === 1 ? "1 error" : `${n} errors`} in the file. Fix them and choose the file again: nothing is imported while any row has an error.`,
  importErrors: "Errors in the file",
  importRow: "Row",
  importColumn: "Column",
  importProblem: "Problem",
  imported: (created: number, updated: number, unchanged: number) => `Import done: ${created} created, ${updated} updated, ${unchanged} unchanged.`,

  // Groups
  groupsSub: "Groups come from your identity provider through SCIM. Map a group to a seat: its members get it, and lose it when they leave the group.",
  groupsEmpty: "No groups yet",
  groupsEmptyBody: "Groups are created by your identity provider (Okta, Microsoft Entra ID…) through SCIM provisioning. Give it a SCIM token and the groups it pushes appear here, ready to be mapped to seats.",
  groupsEmptyLink: "Settings → SCIM tokens",
  groupsEmptyAskAdmin: "An admin of your account creates the SCIM token in Settings → SCIM tokens.",
  colGroup: "Group",
  colMembers: "Members",
  colSeat: "Seat",
  colWarnings: "Warnings",
  noSeatMapped: "No seat",
  noWarnings: "None",
  mapSeat: "Map to a seat",
  changeSeat: "Change seat",
  actionFor: (action: string, name: string) => `${action}: ${name}`,
  groupSeatTitle: (name: string) => `Seat for the group ${name}`,
  groupSeatLabel: "Members get",
  groupSeatHelp: (n: number) => `Applies now to the group's ${n === 1 ? "member" : `${n} members`}, and to whoever joins it later.`,
  groupSeatRemoveHelp: (n: number) => `The seats this mapping gave the group's ${n === 1 ? "member" : `${n} members`} will be revoked.`,
  groupSeatMapped: (group: string, seat: string) => `${group}: members get ${seat}.`,
  groupSeatRemoved: (group: string) => `${group}: mapping removed; the seats it gave were revoked.`,
  groupWarning: (code: string, product: string, n: number, granted: string | null) =>
    code === "NO_NAMED_SEAT_AVAILABLE"
      ? `No named seat of ${product} left for ${n === 1 ? "1 member" : `${n} members`}${granted === "concurrent" ? " (given a concurrent seat)" : ""}`
      : `No subscription for ${product}: ${n === 1 ? "1 member" : `${n} members`} without a seat`,
  fullName: "Full name",
  privilegesLabel: "Privileges",
  privilegesHelp: "Managers can do only what their privileges allow.",
  passwordOptional: "Password (optional)",
  passwordHelp: "At least 8 characters. Without a password the user cannot sign in until one is set.",
  onlyAdminsCreateAdmins: "Only admins can add admins.",
  privilegeNotHeld: "You can only give privileges you hold.",
  userAdded: (name: string) => `${name} was added.`,
  userRemoved: (name: string) => `${name} was removed.`,
  seatsOf: (name: string) => `Seats of ${name}`,
  seatsDialogHelp: "A user holds at most one seat type per product. Named seats are theirs alone; concurrent seats are shared.",
  noSeatOption: "No seat",
  namedLeft: (free: number, total: number) => `${free} of ${total} left`,
  noSubscriptionLine: "Not in your subscription",
  sharedCount: (n: number) => `${n} shared`,
  saveChanges: "Save changes",
  seatsSaved: "Seats updated.",
  bulkGrantTitle: (n: number) => (n === 1 ? "Grant a seat to 1 user" : `Grant a seat to ${n} users`),
  bulkRevokeTitle: (n: number) => (n === 1 ? "Revoke a seat from 1 user" : `Revoke a seat from ${n} users`),
  seat: "Seat",
  product: "Product",
  bulkGrantHelp: "A user's other seat type for that product is replaced.",
  bulkDone: (ok: number, n: number) => `Done for ${ok} of ${n} ${n === 1 ? "user" : "users"}.`,
  removeTitle: (name: string) => `Remove ${name}?`,
  removeBody: "Their seats are freed and their sessions end. This cannot be undone.",
  removeUser: "Remove user",
  cannotRemoveSelf: "You cannot remove yourself.",

  // Manage shared sessions
  sessionsSub: "Every agent holding a concurrent seat right now. End a session to free its seat at once.",
  colAgent: "Agent",
  colProduct: "Product",
  colState: "State",
  colSince: "Since",
  statePending: "Pending",
  stateActive: "Active",
  pendingHint: "Support key generated, no customer connected yet",
  platforms: { windows: "Windows", mac: "Mac", ios: "iOS", android: "Android" } as Record<string, string>,
  modes: { attended: "attended", unattended: "unattended" } as Record<string, string>,
  sessionsCount: (n: number) => (n === 1 ? "1 support session" : `${n} support sessions`),
  endConfirmTitle: (n: number) => (n === 1 ? "End 1 shared session?" : `End ${n} shared sessions?`),
  ended: (n: number) => (n === 1 ? "1 shared session ended. Its seat is free." : `${n} shared sessions ended. Their seats are free.`),
  endNotFound: (n: number) => (n === 1 ? "1 had already ended." : `${n} had already ended.`),
  sessionsEmpty: "No shared sessions right now",
  sessionsEmptyHint: "A concurrent seat is taken when an agent starts a support session, and freed when the last one ends.",
  allProducts: "All products",
  occupiedOf: (o: number, t: number) => `${o} of ${t} ${t === 1 ? "seat" : "seats"} occupied`,
  waitingCount: (n: number) => `${n} in the queue`,
  releaseRequests: "Release requests",
  releaseSub: "Agents waiting for a seat asked you to free one that is not really in use. The sessions with no customer connected for longest are the likeliest to be idle.",
  releaseEmpty: "No open requests from agents.",
  needSeatsManageSessions: "You need the “Manage seats” privilege to see and end shared sessions. Ask an admin of your account.",
  selectSession: (name: string) => `Select the session of ${name}`,
  selectAllSessions: "Select all sessions",
  live: "Live",
  liveHelp: "Refreshes every few seconds",
  pendingLongest: "Pending longest",
  namesAnd: (names: string[], more: number) => {
    if (more > 0) return `${names.join(", ")} and ${more} more`;
    return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names.join("");
  },
  selectSessionsFirst: "Select one or more sessions first.",
  showMore: (n: number) => `Show ${n} more`,
  showFewer: "Show fewer",
  sessionsSelected: (n: number) => `${n} selected`,

  // Seats and subscription
  subscriptionSub: "Licenses per product, how many are in use, and how usage evolved.",
  namedSeats: "Named seats",
  concurrentSeats: "Concurrent seats",
  assignedOf: (a: number, t: number) => `${a} of ${t} assigned`,
  occupiedOfShort: (o: number, t: number) => `${o} of ${t} occupied`,
  eligibleAgents: (n: number) => (n === 1 ? "1 agent shares them" : `${n} agents share them`),
  changeLicenses: "Change licenses",
  changeLicensesOf: (product: string) => `Change licenses of ${product}`,
  notBillingContact: "Only the account's billing contact can change licenses. Ask them if you need more seats.",
  licensesOf: (product: string) => `Licenses of ${product}`,
  updateLicenses: "Update licenses",
  licensesHelp: "Adding concurrent seats admits waiting agents at once. Lowering them below the number occupied cuts nobody off.",
  licensesSaved: (product: string) => `Licenses of ${product} updated.`,
  usage: "Usage",
  usageOf: (product: string) => `Usage of ${product}`,
  range: "Period",
  ranges: { hour: "Last hour", day: "Last day", week: "Last week" } as Record<string, string>,
  rangesInline: { hour: "the last hour", day: "the last day", week: "the last week" } as Record<string, string>,
  occupiedSeries: "Occupied seats",
  totalSeries: "Licensed seats",
  refusalsSeries: "Refusals",
  waitsSeries: "Waits",
  seatsAxis: "Seats",
  eventsAxis: "Refusals / waits",
  downloadCsv: "Download CSV",
  needMoreTitle: "Need more seats?",
  needMoreBody: (refusals: number, waits: number, range: string) => {
    const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);
    const parts = [refusals > 0 ? `were refused a seat ${times(refusals)}` : null, waits > 0 ? `had to wait for one ${times(waits)}` : null].filter(Boolean);
    return `In ${range}, agents ${parts.join(" and ")}.`;
  },
  needMoreBilling: "You are the billing contact: you can add licenses.",
  needMoreOthers: "The billing contact can add licenses.",
  addLicenses: "Add licenses",
  peak: (o: number, t: number) => `Peak ${o} of ${t}`,
  waitStats: (mean: string, p95: string) => `Mean wait ${mean}, 95th percentile ${p95}`,
  usageEmpty: "No seats were used in this period.",
  noSubscription: "Your account has no subscription yet.",
  chartLabel: (product: string, range: string) => `Occupied seats of ${product} over ${range}`,
  unlimitedNamed: "No named seats",
  noConcurrent: "No concurrent seats",

  // Audit log
  auditSub: "Who did what in your account, newest first.",
  colWhen: "When",
  colActor: "Actor",
  colAction: "Action",
  colTarget: "Target",
  colDetails: "Details",
  actorFilter: "Actor",
  actorPlaceholder: "Type a name or email",
  actionFilter: "Action",
  anyAction: "Any action",
  auditEmpty: "No entries match these filters.",
  adminOnlyAudit: "Only admins can see the audit log.",
  filterByActor: (name: string) => `Show only what ${name} did`,
  actorTypes: { system: "System", operator: "Operator", scim: "SCIM", user: "User" } as Record<string, string>,
  actions: {
    "user.created": "User added",
    "user.updated": "User changed",
    "user.deleted": "User removed",
    "seat.granted": "Seat granted",
    "seat.revoked": "Seat revoked",
    "subscription.changed": "Licenses changed",
    "shared_session.ended": "Shared session ended",
    "lease.expired": "Lease expired",
    "settings.changed": "Settings changed",
    "account.created": "Account created",
    "account.renamed": "Account renamed",
    "release_request.created": "Release requested",
    "scim_token.created": "SCIM token created",
    "scim_token.revoked": "SCIM token revoked",
    "group.created": "Group created",
    "group.updated": "Group renamed",
    "group.members_changed": "Group members changed",
    "group.deleted": "Group deleted",
    "group.seat_mapped": "Group seat set",
    "group.seat_unmapped": "Group seat removed",
    "group.seat_warning": "Group seat not given",
    "demo.seeded": "Demo data added",
    "users.imported": "Users imported from CSV",
    "release_request.dismissed": "Release request dismissed",
    "release_request.resolved": "Release request resolved",
  } as Record<string, string>,
  unknownActor: "Unknown",
  targetTypes: { user: "User", product: "Product", shared_session: "Shared session", account: "Account", scim_token: "SCIM token", group: "Group" } as Record<string, string>,
  yes: "yes",
  no: "no",

  // Settings
  settingsSub: "Your account, the timeouts of its seats, and automated provisioning.",
  accountSection: "Account",
  accountSub: "Your account's name, and the timeouts that keep seats from being held by agents who are gone.",
  accountName: "Account name",
  seatTimeouts: "Seat timeouts",
  leaseTtl: "Lease timeout",
  leaseTtlHelp: "How long a shared seat survives without a heartbeat from the agent app. 5 to 3,600 seconds.",
  pendingTimeout: "Pending session timeout",
  pendingTimeoutHelp: "A support session never connected to a customer within this time ends. 5 to 86,400 seconds.",
  cooldown: "Cooldown after an admin ends a session",
  cooldownHelp: "The agent may not take a seat of that product again for this long. 0 to 3,600 seconds.",
  secondsUnit: "seconds",
  outOfRange: (min: number, max: number) => `Enter a whole number from ${min} to ${max}.`,
  saveSettings: "Save settings",
  settingsSaved: "Settings saved.",
  adminOnlySettings: "Only admins can change the account settings.",
  scimSection: "SCIM provisioning",
  scimSub: "Identity providers such as Okta or Microsoft Entra ID use a token to add, change and remove users automatically.",
  scimUnavailable: "SCIM provisioning is not available on this server yet",
  scimBaseUrl: "SCIM base URL",
  tokenName: "Token name",
  tokenNamePlaceholder: "e.g. Okta production",
  createToken: "Create token",
  tokenCreated: (name: string) => `Token “${name}” created`,
  tokenOnce: "Copy it now: it will not be shown again.",
  copy: "Copy",
  copied: "Copied",
  revoke: "Revoke",
  revokeTokenNamed: (name: string) => `Revoke ${name}`,
  revokeTokenTitle: (name: string) => `Revoke “${name}”?`,
  revokeTokenBody: "The identity provider using this token will stop provisioning users.",
  tokensEmpty: "No SCIM tokens yet.",
  colCreated: "Created",
  colName: "Name",
  colLastUsed: "Last used",
  never: "Never",

  // ----- Board: shared sessions, release requests, the queue -----
  endSessions: (n: number) => (n <= 1 ? "End session" : `End ${n} sessions`),
  endConfirmFreed: (n: number, names: string) =>
    n === 1 ? `The seat held by ${names} is freed at once and their support sessions end.` : `The seats held by ${names} are freed at once and their support sessions end.`,
  endCooldown: (n: number, products: string, duration: string | null) =>
    duration === null
      ? n === 1 ? `The agent may take a seat of ${products} again at once.` : `The agents may take a seat of ${products} again at once.`
      : n === 1 ? `The agent cannot take a seat of ${products} for ${duration}.` : `These agents cannot take a seat of ${products} for ${duration}.`,
  endReason: "Reason (optional)",
  endReasonPlaceholder: "e.g. Idle for 30 minutes",
  endReasonHelp: "The agent's app shows it with the end of the session.",
  searchAgents: "Search by agent",
  sessionsNoMatch: (q: string) => `No shared session of an agent matching “${q}”`,
  colLastHeard: "Last heartbeat",
  noHeartbeat: "None yet",
  idleFor: (d: string) => `No customer for ${d}`,
  requesterQueued: (position: number) => `In the queue: position ${position}`,
  requesterReserved: (time: string) => `A seat is reserved for them until ${time}`,
  requesterNotQueued: "Not in the queue",
  sessionNamedInNote: (name: string, product: string) => `The note names ${name} (${product}).`,
  sessionIdlest: (name: string, d: string) => `Idle longest: ${name}, no customer for ${d}.`,
  noPendingToPick: "No session of this product to pick.",
  selectSessionOf: (name: string) => `Select ${name}'s session`,
  resolveRequest: "Mark resolved",
  dismissRequest: "Dismiss",
  closeRequestTitle: (outcome: "dismissed" | "resolved", name: string) =>
    outcome === "dismissed" ? `Dismiss ${name}'s request?` : `Mark ${name}'s request resolved?`,
  closeRequestBody: (outcome: "dismissed" | "resolved", name: string, product: string) =>
    outcome === "dismissed"
      ? `${name} asked for a seat of ${product} to be freed. Their app shows that you dismissed it, with your note.`
      : `${name} asked for a seat of ${product} to be freed. Their app shows that it is resolved, with your note.`,
  requestNote: "Note to the agent (optional)",
  requestClosed: (outcome: "dismissed" | "resolved", name: string) => (outcome === "dismissed" ? `${name}'s request dismissed.` : `${name}'s request marked resolved.`),
  queueTitle: "Queue",
  queueSub: "Agents waiting for a seat hold none. The first in line gets the next seat freed; it is reserved for them if their app is not waiting right then.",
  queueEmpty: "Nobody is waiting for a seat.",
  queueOf: (product: string) => `Queue of ${product}`,
  reservedFor: (name: string, time: string) => `Reserved for ${name} until ${time}`,
  waitingPosition: (position: number, since: string) => `Position ${position}, waiting since ${since}`,

  // ----- Board: usage chart and when seats ran out -----
  tooltipOccupied: (o: number, total: number) => `${o} of ${total} ${total === 1 ? "seat" : "seats"} in use`,
  tooltipRefusals: (n: number) => (n === 1 ? "1 agent refused" : `${n} agents refused`),
  tooltipWaits: (n: number, p95: string | null) => `${n === 1 ? "1 agent" : `${n} agents`} admitted after waiting${p95 ? ` (up to ${p95})` : ""}`,
  shortagesTitle: "When seats ran out",
  shortagesNone: "Seats never ran out in this period.",
  shortageWhen: (time: string, duration: string | null, ongoing: boolean) =>
    ongoing ? `Out of seats since ${time}${duration ? ` (${duration} so far)` : ""}` : duration ? `Ran out at ${time} for ${duration}` : `Ran out at ${time}`,
  shortageWho: (refusals: number, waits: number, waitMax: string | null) =>
    [
      refusals === 0 ? "nobody refused" : refusals === 1 ? "1 agent refused" : `${refusals} agents refused`,
      waits === 0 ? null : waits === 1 ? `1 waited ${waitMax}` : `${waits} waited up to ${waitMax}`,
    ]
      .filter(Boolean)
      .join(", "),

  // ----- Board: audit log details, dates -----
  auditFrom: "From",
  auditTo: "To",
  auditKeys: {
    product: "product", type: "seat", previous: "previous seat", source: "source", reason: "reason", email: "email", role: "role",
    privileges: "privileges", billingContact: "billing contact", active: "active", changed: "changed", name: "name", password: "password",
    created: "created", updated: "updated", unchanged: "unchanged", seatsGranted: "seats granted", seatsRevoked: "seats revoked",
    note: "note", message: "message", named: "named seats", concurrent: "concurrent seats", leaseTtlSeconds: "lease",
    pendingTimeoutSeconds: "pending session timeout", endedCooldownSeconds: "cooldown", members: "members", added: "added",
    removed: "removed", displayName: "name", code: "why", granted: "given instead", users: "users", leaseExpiredAt: "lease expired at",
    sessions: "support sessions",
  } as Record<string, string>,
  auditReasons: {
    admin: "ended by an admin", manual: "by hand", seat_revoked: "seat revoked", seat_changed: "seat type changed", user_deactivated: "user deactivated",
    user_deleted: "user removed", group_membership: "left the group", import: "CSV import", import_seats: "CSV import", lease_expired: "app went silent",
    logout: "signed out", pending_timeout: "never connected", end: "ended by the agent",
  } as Record<string, string>,
  auditSources: { manual: "by hand", import: "CSV import", scim: "SCIM", scim_group: "SCIM group" } as Record<string, string>,
  auditCodes: { NO_NAMED_SEAT_AVAILABLE: "no named seat left", NO_SUBSCRIPTION: "no subscription for the product" } as Record<string, string>,

  // ----- Board: controls -----
  chooseFile: "Choose a file",
  noFileChosen: "No file chosen",

  // ----- Board: overview -----
  navOverview: "Overview",
  overviewSub: "Each product at a glance: seats in use, who waits, what agents asked for, and when seats last ran out.",
  allInUse: "All in use",
  reservedUntil: (time: string) => `seat reserved until ${time}`,
  waitingSince: (since: string) => `waiting since ${since}`,
  openRequests: (n: number) => (n === 1 ? "1 open request" : `${n} open requests`),
  lastRanOut: "Last time seats ran out",
  outOfSeatsNow: (since: string) => `Out of seats right now, since ${since}`,
  forDuration: (d: string) => `for ${d}`,
  neverRanOut: "Not in the last 7 days.",
};

export type Messages = typeof en;

const fr: Messages = {
  appName: "Seatkeeper",
  adminCenter: "Centre d'administration",
  navUsers: "Gérer les utilisateurs",
  navSessions: "Gérer les sessions partagées",
  navGroups: "Groupes",
  navSubscription: "Postes et abonnement",
  navAudit: "Journal d'audit",
  navSettings: "Paramètres",
  mainNav: "Navigation principale",
  language: "Langue",
  signOut: "Se déconnecter",
  openMenu: "Ouvrir le menu",
  closeMenu: "Fermer le menu",
  loading: "Chargement…",
  retry: "Réessayer",
  cancel: "Annuler",
  close: "Fermer",
  save: "Enregistrer",
  saving: "Enregistrement…",
  loadMore: "Afficher plus",
  loadingMore: "Chargement…",
  skipToContent: "Aller au contenu",
  roles: { admin: "Administrateur", manager: "Responsable", agent: "Agent" },
  privileges: { "users:write": "Ajouter/supprimer des utilisateurs", "seats:manage": "Gérer les postes" },
  seatTypes: { named: "Nominatif", concurrent: "Simultané" },
  active: "Actif",
  inactive: "Inactif",
  you: "vous",
  noEmail: "pas d'e-mail : ne peut pas se connecter",
  billingContact: "Contact de facturation",

  signInTitle: "Connexion au centre d'administration",
  signInSub: "Gérez les utilisateurs, les postes et les sessions partagées de votre compte.",
  email: "Adresse e-mail",
  password: "Mot de passe",
  signIn: "Se connecter",
  signingIn: "Connexion…",
  sessionExpired: "Votre session a pris fin. Veuillez vous reconnecter.",
  agentTitle: "Le centre d'administration est réservé aux administrateurs et aux responsables",
  agentBody: (name: string) =>
    `Vous êtes connecté en tant que ${name}, agent. Les agents travaillent dans l'app d'agent de bureau ou mobile ; le centre d'administration sert aux administrateurs et aux responsables à gérer les utilisateurs, les postes et les sessions partagées. Si vous avez besoin d'un accès, demandez-le à un administrateur de votre compte.`,

  usersSub: "Tous les utilisateurs du compte, avec leurs postes nominatifs et simultanés.",
  search: "Rechercher",
  searchPlaceholder: "Nom ou adresse e-mail",
  role: "Rôle",
  allRoles: "Tous les rôles",
  status: "Statut",
  allStatuses: "Tous les statuts",
  filterCategory: "Filtrer par catégorie",
  categoryNone: "Tous les utilisateurs",
  categorySeats: "Postes",
  filterBy: "Filtrer par",
  bySeat: "Par poste",
  chooseSeat: "Choisissez un poste…",
  clearFilters: "Effacer les filtres",
  colUser: "Utilisateur",
  colEmail: "Adresse e-mail",
  colRole: "Rôle",
  colSeats: "Postes",
  colStatus: "Statut",
  colActions: "Actions",
  noSeat: "Aucun poste",
  addUser: "Ajouter un utilisateur",
  needUsersWrite: "Il vous faut le privilège « Ajouter/supprimer des utilisateurs » pour ajouter ou supprimer des utilisateurs.",
  needSeatsManage: "Il vous faut le privilège « Gérer les postes » pour attribuer ou retirer des postes.",
  editSeats: "Modifier les postes",
  editSeatsOf: (name) => `Modifier les postes de ${name}`,
  remove: "Supprimer",
  removeNamed: (name) => `Supprimer ${name}`,
  selectAllShown: "Sélectionner tous les utilisateurs affichés",
  selectUser: (name) => `Sélectionner ${name}`,
  selectedCount: (n) => (n === 1 ? "1 utilisateur sélectionné" : `${n} utilisateurs sélectionnés`),
  clearSelection: "Désélectionner",
  selectUsersFirst: "Sélectionnez d'abord un ou plusieurs utilisateurs.",
  grantSeat: "Attribuer un poste",
  revokeSeat: "Retirer un poste",
  usersEmptyFiltered: "Aucun utilisateur ne correspond à ces filtres.",
  usersEmptyFilteredHint: "Essayez une autre recherche ou effacez les filtres.",
  usersEmpty: "Aucun utilisateur pour l'instant.",
  shownCount: (n, more) => (more ? `Les ${n} premiers utilisateurs` : n === 1 ? "1 utilisateur" : `${n} utilisateurs`),
  addUserTitle: "Ajouter un utilisateur",
  importCsv: "Importer un CSV",
  importTitle: "Importer des utilisateurs depuis un fichier CSV",
  importFormatTitle: "Format du fichier et exemple",
  importExample: "Exemple de fichier",
  importFormatRules: [
    "La première ligne nomme les colonnes : email et name sont obligatoires ; role, seats et password sont facultatives, dans n'importe quel ordre.",
    "role : admin, manager ou agent. Vide, les nouveaux utilisateurs sont agents et les utilisateurs existants gardent leur rôle.",
    "seats : produit:named ou produit:concurrent, séparés par « ; ». Quand la colonne est présente, elle donne l'ensemble complet des postes de chaque utilisateur : les postes non cités sont retirés.",
    "password : au moins 8 caractères ; vide, un utilisateur existant garde le sien et un nouvel utilisateur ne peut pas se connecter tant qu'il n'en a pas.",
    "Un utilisateur dont l'adresse e-mail existe déjà dans votre compte est mis à jour. Si une ligne contient une erreur, rien n'est importé.",
  ],
  importFile: "Fichier CSV",
  importFileHelp: "UTF-8, 20 Mio au plus. Le fichier est d'abord vérifié ; rien ne change avant que vous cliquiez sur Importer.",
  importChecking: "Vérification du fichier…",
  importing: "Import en cours…",
  importAction: "Importer",
  importCount: (n: number) => (n === 1 ? "Importer 1 utilisateur" : `Importer ${n} utilisateurs`),
  importProgress: "Progression de l'import",
  importPhases: { validating: "Vérification des lignes", hashing: "Sécurisation des mots de passe", writing: "Enregistrement des utilisateurs" },
  importPreview: "Simulation",
  importCreated: "À créer",
  importUpdated: "À mettre à jour",
  importUnchanged: "Inchangés",
  importReady: "Aucune erreur. Cliquez sur Importer pour appliquer ces changements.",
  importNothingToDo: "Tous les utilisateurs du fichier sont déjà tels que décrits : il n'y a rien à importer.",
  importHasErrors: (n: number) => `${n === 1 ? "1 erreur" : `${n} erreurs`} dans le fichier. Corrigez-les et choisissez à nouveau le fichier : rien n'est importé tant qu'une ligne contient une erreur.`,
  importErrors: "Erreurs du fichier",
  importRow: "Ligne",
  importColumn: "Colonne",
  importProblem: "Problème",
  imported: (created: number, updated: number, unchanged: number) => `Import terminé : ${created} créés, ${updated} mis à jour, ${unchanged} inchangés.`,

  groupsSub: "Les groupes viennent de votre fournisseur d'identité via SCIM. Associez un groupe à un poste : ses membres l'obtiennent, et le perdent en quittant le groupe.",
  groupsEmpty: "Aucun groupe pour l'instant",
  groupsEmptyBody: "Les groupes sont créés par votre fournisseur d'identité (Okta, Microsoft Entra ID…) via le provisionnement SCIM. Donnez-lui un jeton SCIM : les groupes qu'il envoie apparaissent ici, prêts à être associés à des postes.",
  groupsEmptyLink: "Paramètres → Jetons SCIM",
  groupsEmptyAskAdmin: "Un administrateur de votre compte crée le jeton SCIM dans Paramètres → Jetons SCIM.",
  colGroup: "Groupe",
  colMembers: "Membres",
  colSeat: "Poste",
  colWarnings: "Alertes",
  noSeatMapped: "Aucun poste",
  noWarnings: "Aucune",
  mapSeat: "Associer un poste",
  changeSeat: "Changer de poste",
  actionFor: (action: string, name: string) => `${action} : ${name}`,
  groupSeatTitle: (name: string) => `Poste du groupe ${name}`,
  groupSeatLabel: "Les membres reçoivent",
  groupSeatHelp: (n: number) => `S'applique dès maintenant ${n === 1 ? "au membre" : `aux ${n} membres`} du groupe, et à ceux qui le rejoindront.`,
  groupSeatRemoveHelp: (n: number) => `Les postes donnés par cette association ${n === 1 ? "au membre" : `aux ${n} membres`} du groupe seront retirés.`,
  groupSeatMapped: (group: string, seat: string) => `${group} : les membres reçoivent ${seat}.`,
  groupSeatRemoved: (group: string) => `${group} : association supprimée ; les postes qu'elle donnait ont été retirés.`,
  groupWarning: (code: string, product: string, n: number, granted: string | null) =>
    code === "NO_NAMED_SEAT_AVAILABLE"
      ? `Plus de poste nominatif de ${product} pour ${n === 1 ? "1 membre" : `${n} membres`}${granted === "concurrent" ? " (poste simultané donné)" : ""}`
      : `Aucun abonnement à ${product} : ${n === 1 ? "1 membre" : `${n} membres`} sans poste`,
  fullName: "Nom complet",
  privilegesLabel: "Privilèges",
  privilegesHelp: "Un responsable ne peut faire que ce que ses privilèges permettent.",
  passwordOptional: "Mot de passe (facultatif)",
  passwordHelp: "Au moins 8 caractères. Sans mot de passe, l'utilisateur ne peut pas se connecter tant qu'il n'en a pas.",
  onlyAdminsCreateAdmins: "Seuls les administrateurs peuvent ajouter des administrateurs.",
  privilegeNotHeld: "Vous ne pouvez donner que les privilèges que vous détenez.",
  userAdded: (name) => `${name} a été ajouté.`,
  userRemoved: (name) => `${name} a été supprimé.`,
  seatsOf: (name) => `Postes de ${name}`,
  seatsDialogHelp: "Un utilisateur a au plus un type de poste par produit. Un poste nominatif lui est réservé ; les postes simultanés sont partagés.",
  noSeatOption: "Aucun poste",
  namedLeft: (free, total) => `${free} libre(s) sur ${total}`,
  noSubscriptionLine: "Absent de votre abonnement",
  sharedCount: (n) => `${n} partagé${n > 1 ? "s" : ""}`,
  saveChanges: "Enregistrer",
  seatsSaved: "Postes mis à jour.",
  bulkGrantTitle: (n) => (n === 1 ? "Attribuer un poste à 1 utilisateur" : `Attribuer un poste à ${n} utilisateurs`),
  bulkRevokeTitle: (n) => (n === 1 ? "Retirer un poste à 1 utilisateur" : `Retirer un poste à ${n} utilisateurs`),
  seat: "Poste",
  product: "Produit",
  bulkGrantHelp: "L'autre type de poste de l'utilisateur pour ce produit est remplacé.",
  bulkDone: (ok, n) => `Fait pour ${ok} utilisateur${ok > 1 ? "s" : ""} sur ${n}.`,
  removeTitle: (name) => `Supprimer ${name} ?`,
  removeBody: "Ses postes sont libérés et ses sessions prennent fin. Cette action est irréversible.",
  removeUser: "Supprimer l'utilisateur",
  cannotRemoveSelf: "Vous ne pouvez pas vous supprimer vous-même.",

  sessionsSub: "Tous les agents qui occupent un poste simultané en ce moment. Mettez fin à une session pour libérer son poste immédiatement.",
  colAgent: "Agent",
  colProduct: "Produit",
  colState: "État",
  colSince: "Depuis",
  statePending: "Non connectée",
  stateActive: "Active",
  pendingHint: "Clé d'assistance générée, aucun client connecté pour l'instant",
  platforms: { windows: "Windows", mac: "Mac", ios: "iOS", android: "Android" },
  modes: { attended: "avec surveillance", unattended: "sans surveillance" },
  sessionsCount: (n) => (n === 1 ? "1 session d'assistance" : `${n} sessions d'assistance`),
  endConfirmTitle: (n) => (n === 1 ? "Mettre fin à 1 session partagée ?" : `Mettre fin à ${n} sessions partagées ?`),
  ended: (n) => (n === 1 ? "1 session partagée terminée. Son poste est libre." : `${n} sessions partagées terminées. Leurs postes sont libres.`),
  endNotFound: (n) => (n === 1 ? "1 était déjà terminée." : `${n} étaient déjà terminées.`),
  sessionsEmpty: "Aucune session partagée en ce moment",
  sessionsEmptyHint: "Un poste simultané est occupé quand un agent démarre une session d'assistance, et libéré quand la dernière se termine.",
  allProducts: "Tous les produits",
  occupiedOf: (o, t) => `${o} ${o > 1 ? "postes occupés" : "poste occupé"} sur ${t}`,
  waitingCount: (n) => `${n} dans la file d'attente`,
  releaseRequests: "Demandes de libération",
  releaseSub: "Des agents qui attendent un poste vous demandent d'en libérer un qui n'est pas vraiment utilisé. Les sessions sans client connecté depuis le plus longtemps sont les plus susceptibles d'être inactives.",
  releaseEmpty: "Aucune demande en cours.",
  needSeatsManageSessions: "Il vous faut le privilège « Gérer les postes » pour voir les sessions partagées et y mettre fin. Demandez-le à un administrateur de votre compte.",
  selectSession: (name) => `Sélectionner la session de ${name}`,
  selectAllSessions: "Sélectionner toutes les sessions",
  live: "En direct",
  liveHelp: "Actualisé toutes les quelques secondes",
  pendingLongest: "La plus ancienne",
  namesAnd: (names, more) => {
    if (more > 0) return `${names.join(", ")} et ${more} autre${more > 1 ? "s" : ""}`;
    return names.length > 1 ? `${names.slice(0, -1).join(", ")} et ${names[names.length - 1]}` : names.join("");
  },
  selectSessionsFirst: "Sélectionnez d'abord une ou plusieurs sessions.",
  showMore: (n) => `Afficher ${n} de plus`,
  showFewer: "Afficher moins",
  sessionsSelected: (n) => (n === 1 ? "1 sélectionnée" : `${n} sélectionnées`),

  subscriptionSub: "Les licences par produit, leur utilisation et son évolution.",
  namedSeats: "Postes nominatifs",
  concurrentSeats: "Postes simultanés",
  assignedOf: (a, t) => `${a} sur ${t} ${a > 1 ? "attribués" : "attribué"}`,
  occupiedOfShort: (o, t) => `${o} sur ${t} ${o > 1 ? "occupés" : "occupé"}`,
  eligibleAgents: (n) => (n === 1 ? "1 agent les partage" : `${n} agents les partagent`),
  changeLicenses: "Modifier les licences",
  changeLicensesOf: (product) => `Modifier les licences de ${product}`,
  notBillingContact: "Seul le contact de facturation du compte peut modifier les licences. Adressez-vous à lui si vous avez besoin de plus de postes.",
  licensesOf: (product) => `Licences de ${product}`,
  updateLicenses: "Mettre à jour les licences",
  licensesHelp: "Ajouter des postes simultanés sert aussitôt les agents de la file d'attente. Descendre sous le nombre de postes occupés n'interrompt personne.",
  licensesSaved: (product) => `Licences de ${product} mises à jour.`,
  usage: "Utilisation",
  usageOf: (product) => `Utilisation de ${product}`,
  range: "Période",
  ranges: { hour: "Dernière heure", day: "Dernier jour", week: "Dernière semaine" },
  rangesInline: { hour: "la dernière heure", day: "le dernier jour", week: "la dernière semaine" },
  occupiedSeries: "Postes occupés",
  totalSeries: "Postes sous licence",
  refusalsSeries: "Refus",
  waitsSeries: "Attentes",
  seatsAxis: "Postes",
  eventsAxis: "Refus / attentes",
  downloadCsv: "Télécharger le CSV",
  needMoreTitle: "Besoin de plus de postes ?",
  needMoreBody: (refusals, waits, range) => {
    const parts = [refusals > 0 ? `se sont vu refuser un poste ${refusals} fois` : null, waits > 0 ? `ont dû attendre un poste ${waits} fois` : null].filter(Boolean);
    return `Sur ${range}, des agents ${parts.join(" et ")}.`;
  },
  needMoreBilling: "Vous êtes le contact de facturation : vous pouvez ajouter des licences.",
  needMoreOthers: "Le contact de facturation peut ajouter des licences.",
  addLicenses: "Ajouter des licences",
  peak: (o, t) => `Pic : ${o} sur ${t}`,
  waitStats: (mean, p95) => `Attente moyenne ${mean}, 95e centile ${p95}`,
  usageEmpty: "Aucun poste n'a été utilisé sur cette période.",
  noSubscription: "Votre compte n'a pas encore d'abonnement.",
  chartLabel: (product, range) => `Postes occupés de ${product} sur ${range}`,
  unlimitedNamed: "Aucun poste nominatif",
  noConcurrent: "Aucun poste simultané",

  auditSub: "Qui a fait quoi dans votre compte, du plus récent au plus ancien.",
  colWhen: "Date",
  colActor: "Auteur",
  colAction: "Action",
  colTarget: "Cible",
  colDetails: "Détails",
  actorFilter: "Auteur",
  actorPlaceholder: "Saisissez un nom ou une adresse e-mail",
  actionFilter: "Action",
  anyAction: "Toutes les actions",
  auditEmpty: "Aucune entrée ne correspond à ces filtres.",
  adminOnlyAudit: "Seuls les administrateurs peuvent consulter le journal d'audit.",
  filterByActor: (name) => `N'afficher que les actions de ${name}`,
  actorTypes: { system: "Système", operator: "Opérateur", scim: "SCIM", user: "Utilisateur" },
  actions: {
    "user.created": "Utilisateur ajouté",
    "user.updated": "Utilisateur modifié",
    "user.deleted": "Utilisateur supprimé",
    "seat.granted": "Poste attribué",
    "seat.revoked": "Poste retiré",
    "subscription.changed": "Licences modifiées",
    "shared_session.ended": "Session partagée terminée",
    "lease.expired": "Bail expiré",
    "settings.changed": "Paramètres modifiés",
    "account.created": "Compte créé",
    "account.renamed": "Compte renommé",
    "release_request.created": "Libération demandée",
    "scim_token.created": "Jeton SCIM créé",
    "scim_token.revoked": "Jeton SCIM révoqué",
    "group.created": "Groupe créé",
    "group.updated": "Groupe renommé",
    "group.members_changed": "Membres du groupe modifiés",
    "group.deleted": "Groupe supprimé",
    "group.seat_mapped": "Poste du groupe défini",
    "group.seat_unmapped": "Poste du groupe retiré",
    "group.seat_warning": "Poste du groupe non attribué",
    "demo.seeded": "Données de démonstration ajoutées",
    "users.imported": "Utilisateurs importés depuis un CSV",
    "release_request.dismissed": "Demande de libération refusée",
    "release_request.resolved": "Demande de libération résolue",
  },
  unknownActor: "Inconnu",
  targetTypes: { user: "Utilisateur", product: "Produit", shared_session: "Session partagée", account: "Compte", scim_token: "Jeton SCIM", group: "Groupe" },
  yes: "oui",
  no: "non",

  settingsSub: "Votre compte, les délais de ses postes et l'approvisionnement automatisé.",
  accountSection: "Compte",
  accountSub: "Le nom de votre compte, et les délais qui empêchent des agents partis de garder un poste.",
  accountName: "Nom du compte",
  seatTimeouts: "Délais des postes",
  leaseTtl: "Expiration du bail",
  leaseTtlHelp: "Durée pendant laquelle un poste partagé reste attribué sans signal de l'app d'agent. De 5 à 3 600 secondes.",
  pendingTimeout: "Expiration des sessions non connectées",
  pendingTimeoutHelp: "Une session d'assistance qui n'est pas connectée à un client dans ce délai prend fin. De 5 à 86 400 secondes.",
  cooldown: "Délai après une fin de session par un administrateur",
  cooldownHelp: "Pendant ce délai, l'agent ne peut pas reprendre un poste de ce produit. De 0 à 3 600 secondes.",
  secondsUnit: "secondes",
  outOfRange: (min, max) => `Saisissez un nombre entier de ${min} à ${max}.`,
  saveSettings: "Enregistrer les paramètres",
  settingsSaved: "Paramètres enregistrés.",
  adminOnlySettings: "Seuls les administrateurs peuvent modifier les paramètres du compte.",
  scimSection: "Approvisionnement SCIM",
  scimSub: "Les fournisseurs d'identité comme Okta ou Microsoft Entra ID utilisent un jeton pour ajouter, modifier et supprimer automatiquement des utilisateurs.",
  scimUnavailable: "L'approvisionnement SCIM n'est pas encore disponible sur ce serveur",
  scimBaseUrl: "URL de base SCIM",
  tokenName: "Nom du jeton",
  tokenNamePlaceholder: "par ex. Okta production",
  createToken: "Créer un jeton",
  tokenCreated: (name) => `Jeton « ${name} » créé`,
  tokenOnce: "Copiez-le maintenant : il ne sera plus affiché.",
  copy: "Copier",
  copied: "Copié",
  revoke: "Révoquer",
  revokeTokenNamed: (name) => `Révoquer ${name}`,
  revokeTokenTitle: (name) => `Révoquer « ${name} » ?`,
  revokeTokenBody: "Le fournisseur d'identité qui utilise ce jeton ne pourra plus approvisionner les utilisateurs.",
  tokensEmpty: "Aucun jeton SCIM pour l'instant.",
  colCreated: "Créé le",
  colName: "Nom",
  colLastUsed: "Dernière utilisation",
  never: "Jamais",

  // ----- Board: shared sessions, release requests, the queue -----
  endSessions: (n) => (n <= 1 ? "Mettre fin à la session" : `Mettre fin à ${n} sessions`),
  endConfirmFreed: (n, names) =>
    n === 1 ? `Le poste occupé par ${names} est libéré immédiatement et ses sessions d'assistance prennent fin.` : `Les postes occupés par ${names} sont libérés immédiatement et leurs sessions d'assistance prennent fin.`,
  endCooldown: (n, products, duration) =>
    duration === null
      ? n === 1 ? `L'agent pourra reprendre un poste de ${products} immédiatement.` : `Les agents pourront reprendre un poste de ${products} immédiatement.`
      : n === 1 ? `L'agent ne pourra pas reprendre de poste de ${products} pendant ${duration}.` : `Ces agents ne pourront pas reprendre de poste de ${products} pendant ${duration}.`,
  endReason: "Motif (facultatif)",
  endReasonPlaceholder: "p. ex. Inactif depuis 30 minutes",
  endReasonHelp: "L'app de l'agent l'affiche avec la fin de la session.",
  searchAgents: "Rechercher un agent",
  sessionsNoMatch: (q) => `Aucune session partagée d'un agent correspondant à « ${q} »`,
  colLastHeard: "Dernier signal",
  noHeartbeat: "Aucun pour l'instant",
  idleFor: (d) => `Aucun client depuis ${d}`,
  requesterQueued: (position) => `Dans la file d'attente : ${position}${position === 1 ? "er" : "e"}`,
  requesterReserved: (time) => `Un poste lui est réservé jusqu'à ${time}`,
  requesterNotQueued: "Pas dans la file d'attente",
  sessionNamedInNote: (name, product) => `La note cite ${name} (${product}).`,
  sessionIdlest: (name, d) => `Inactive depuis le plus longtemps : ${name}, aucun client depuis ${d}.`,
  noPendingToPick: "Aucune session de ce produit à sélectionner.",
  selectSessionOf: (name) => `Sélectionner la session de ${name}`,
  resolveRequest: "Marquer comme résolue",
  dismissRequest: "Refuser",
  closeRequestTitle: (outcome, name) => (outcome === "dismissed" ? `Refuser la demande de ${name} ?` : `Marquer la demande de ${name} comme résolue ?`),
  closeRequestBody: (outcome, name, product) =>
    outcome === "dismissed"
      ? `${name} a demandé qu'un poste de ${product} soit libéré. Son app indique que vous avez refusé, avec votre note.`
      : `${name} a demandé qu'un poste de ${product} soit libéré. Son app indique que la demande est résolue, avec votre note.`,
  requestNote: "Note pour l'agent (facultative)",
  requestClosed: (outcome, name) => (outcome === "dismissed" ? `Demande de ${name} refusée.` : `Demande de ${name} marquée comme résolue.`),
  queueTitle: "File d'attente",
  queueSub: "Les agents en file d'attente n'occupent aucun poste. Le premier obtient le prochain poste libéré ; il lui est réservé si son app n'attend pas à ce moment-là.",
  queueEmpty: "Personne n'attend de poste.",
  queueOf: (product) => `File d'attente de ${product}`,
  reservedFor: (name, time) => `Réservé pour ${name} jusqu'à ${time}`,
  waitingPosition: (position, since) => `${position}${position === 1 ? "er" : "e"}, en file d'attente ${since}`,

  // ----- Board: usage chart and when seats ran out -----
  tooltipOccupied: (o, total) => `${o} ${o > 1 ? "postes occupés" : "poste occupé"} sur ${total}`,
  tooltipRefusals: (n) => (n === 1 ? "1 agent refusé" : `${n} agents refusés`),
  tooltipWaits: (n, p95) => `${n === 1 ? "1 agent admis" : `${n} agents admis`} après attente${p95 ? ` (jusqu'à ${p95})` : ""}`,
  shortagesTitle: "Quand les postes ont manqué",
  shortagesNone: "Les postes n'ont jamais manqué sur cette période.",
  shortageWhen: (time, duration, ongoing) =>
    ongoing
      ? `Plus aucun poste libre depuis ${time}${duration ? ` (${duration} jusqu'ici)` : ""}`
      : duration
        ? `Plus aucun poste libre à ${time} pendant ${duration}`
        : `Plus aucun poste libre à ${time}`,
  shortageWho: (refusals, waits, waitMax) =>
    [
      refusals === 0 ? "aucun refus" : refusals === 1 ? "1 agent refusé" : `${refusals} agents refusés`,
      waits === 0 ? null : waits === 1 ? `1 a attendu ${waitMax}` : `${waits} ont attendu jusqu'à ${waitMax}`,
    ]
      .filter(Boolean)
      .join(", "),

  // ----- Board: audit log details, dates -----
  auditFrom: "Du",
  auditTo: "Au",
  auditKeys: {
    product: "produit", type: "poste", previous: "poste précédent", source: "origine", reason: "motif", email: "adresse e-mail", role: "rôle",
    privileges: "privilèges", billingContact: "contact de facturation", active: "actif", changed: "modifié", name: "nom", password: "mot de passe",
    created: "créés", updated: "modifiés", unchanged: "inchangés", seatsGranted: "postes attribués", seatsRevoked: "postes retirés",
    note: "note", message: "message", named: "postes nominatifs", concurrent: "postes simultanés", leaseTtlSeconds: "bail",
    pendingTimeoutSeconds: "expiration des sessions non connectées", endedCooldownSeconds: "délai après une fin de session", members: "membres",
    added: "ajoutés", removed: "retirés", displayName: "nom", code: "raison", granted: "attribué à la place", users: "utilisateurs",
    leaseExpiredAt: "bail expiré le", sessions: "sessions d'assistance",
  },
  auditReasons: {
    admin: "fin par un administrateur", manual: "à la main", seat_revoked: "poste retiré", seat_changed: "type de poste changé",
    user_deactivated: "utilisateur désactivé", user_deleted: "utilisateur supprimé", group_membership: "a quitté le groupe", import: "import CSV",
    import_seats: "import CSV", lease_expired: "l'app ne répondait plus", logout: "déconnexion", pending_timeout: "jamais connectée",
    end: "fin par l'agent",
  },
  auditSources: { manual: "à la main", import: "import CSV", scim: "SCIM", scim_group: "groupe SCIM" },
  auditCodes: { NO_NAMED_SEAT_AVAILABLE: "plus de poste nominatif libre", NO_SUBSCRIPTION: "pas d'abonnement au produit" },

  // ----- Board: controls -----
  chooseFile: "Choisir un fichier",
  noFileChosen: "Aucun fichier choisi",

  // ----- Board: overview -----
  navOverview: "Vue d'ensemble",
  overviewSub: "Chaque produit d'un coup d'œil : les postes utilisés, qui attend, ce que les agents ont demandé, et quand les postes ont manqué pour la dernière fois.",
  allInUse: "Tous utilisés",
  reservedUntil: (time) => `poste réservé jusqu'à ${time}`,
  waitingSince: (since) => `en file d'attente ${since}`,
  openRequests: (n) => (n === 1 ? "1 demande en cours" : `${n} demandes en cours`),
  lastRanOut: "Dernière fois que les postes ont manqué",
  outOfSeatsNow: (since) => `Plus aucun poste libre en ce moment, ${since}`,
  forDuration: (d) => `pendant ${d}`,
  neverRanOut: "Pas au cours des 7 derniers jours.",
};

const dictionaries: Record<Lang, Messages> = { en, fr };
const STORAGE_KEY = "seatkeeper.lang";

function initialLanguage(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "fr") return stored;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "fr" || base === "en") return base;
  }
  return "en";
}

interface I18n {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
  /** "Remote Support v5 – Concurrent" */
  seatLabel: (productName: string, type: string) => string;
  formatDateTime: (iso: string) => string;
  /** "10:42" */
  formatTime: (iso: string) => string;
  formatRelative: (iso: string, now?: number) => string;
  formatDuration: (seconds: number) => string;
  formatNumber: (n: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLanguage);
  setApiLanguage(lang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const t = dictionaries[lang];
    const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
    const time = new Intl.DateTimeFormat(lang, { timeStyle: "short" });
    const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const number = new Intl.NumberFormat(lang);
    return {
      lang,
      t,
      setLang: (next) => {
        localStorage.setItem(STORAGE_KEY, next);
        setApiLanguage(next);
        setLangState(next);
      },
      seatLabel: (productName, type) => `${productName} – ${t.seatTypes[type] ?? type}`,
      formatDateTime: (iso) => dateTime.format(new Date(iso)),
      formatTime: (iso) => time.format(new Date(iso)),
      formatRelative: (iso, now = Date.now()) => {
        const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
        const abs = Math.abs(seconds);
        if (abs < 45) return relative.format(0, "second");
        if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
        if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
        return relative.format(Math.round(seconds / 86400), "day");
      },
      formatDuration: (seconds) => {
        if (seconds < 60) return `${Math.round(seconds)} s`;
        if (seconds < 600 && Math.round(seconds) % 60 !== 0) return `${Math.floor(seconds / 60)} min ${Math.round(seconds) % 60} s`;
        if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
        if (seconds < 86400) {
          const hours = Math.floor(seconds / 3600);
          const minutes = Math.round((seconds % 3600) / 60);
          return minutes === 0 || minutes === 60 ? `${minutes === 60 ? hours + 1 : hours} h` : `${hours} h ${minutes} min`;
        }
        const days = Math.round(seconds / 86400);
        return lang === "fr" ? `${days} j` : `${days} d`;
      },
      formatNumber: (n) => number.format(n),
    };
  }, [lang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
