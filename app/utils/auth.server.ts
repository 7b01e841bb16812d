/**
 * Who is asking, and may they? `requirePermission` opens every loader and action that is not
 * public: it signs the visitor in or sends them to the sign-in page, checks the permission against
 * the user's roles (403), and returns the context every query is scoped by (the organization).
 */
import { redirect } from "@remix-run/node";
import type { Kysely } from "kysely";
import { getDb } from "../../db/client.ts";
import { sessionUserRow } from "../../db/repositories/sessions.ts";
import type { DB, Organization, Role } from "../../db/schema.ts";
import { translator, type Locale, type Translate } from "../i18n/index.ts";
import { forbidden } from "./http.server.ts";
import { rolesGrant, type Permission } from "./permissions.ts";
import { readSessionId, requestLocale } from "./session.server.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  preferredLanguage: Locale;
  roles: Role[];
  organization: Pick<
    Organization,
    "id" | "kind" | "name_zh" | "name_en" | "credit_code" | "cb_code" | "cnca_approval_number" | "accredited_categories"
  >;
}

export interface RequestContext {
  user: SessionUser;
  /** The tenant: every query made for this request is limited to what this organization may see. */
  organizationId: string;
  locale: Locale;
  t: Translate;
  db: Kysely<DB>;
  can(permission: Permission): boolean;
}

// One lookup per request even when the root loader and a route loader both ask.
const userCache = new WeakMap<Request, Promise<SessionUser | null>>();

export function getSessionUser(request: Request): Promise<SessionUser | null> {
  let pending = userCache.get(request);
  if (!pending) {
    pending = loadSessionUser(request);
    userCache.set(request, pending);
  }
  return pending;
}

async function loadSessionUser(request: Request): Promise<SessionUser | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  const db = await getDb();
  const row = await sessionUserRow(db, sessionId);
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    preferredLanguage: row.preferred_language,
    roles: row.roles,
    organization: {
      id: row.org_id,
      kind: row.org_kind,
      name_zh: row.org_name_zh,
      name_en: row.org_name_en,
      credit_code: row.org_credit_code,
      cb_code: row.org_cb_code,
      cnca_approval_number: row.org_cnca_approval_number,
      accredited_categories: row.org_accredited_categories,
    },
  };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** The one gate of every non-public loader and action. */
export async function requirePermission(request: Request, permission: Permission): Promise<RequestContext> {
  const user = await requireUser(request);
  if (!rolesGrant(user.roles, permission)) throw forbidden();
  const locale = await requestLocale(request);
  return {
    user,
    organizationId: user.organization.id,
    locale,
    t: translator(locale),
    db: await getDb(),
    can: (other) => rolesGrant(user.roles, other),
  };
}

/** For public pages: the locale and translator, plus the user when one is signed in. */
export async function publicContext(request: Request) {
  const locale = await requestLocale(request);
  return { locale, t: translator(locale), user: await getSessionUser(request), db: await getDb() };
}
