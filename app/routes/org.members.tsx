import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { CheckboxGroup, FormErrors, Notice, TextField, useValidatedForm } from "../components/form.tsx";
import type { Role } from "../../db/schema.ts";
import { createInvitation, invitationUrl, isMemberEmail, revokeInvitation } from "../services/invitations.server.ts";
import { changeMember, openInvitations, organizationMembers, updateMemberRoles, type MemberChange } from "../services/organizations.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { formValues, parseForm, parseSubmission } from "../utils/forms.ts";
import { invitationSchema } from "../utils/organization-forms.ts";
import { notFound } from "../utils/http.server.ts";
import { useT } from "../utils/i18n-react.ts";
import { ADMIN_ROLE_BY_KIND, ROLES_BY_KIND } from "../utils/permissions.ts";
import { readForm } from "../utils/read-form.server.ts";
import { DataTable } from "../components/data-table.tsx";

/**
 * Members of the admin's own organization: list, invite (and revoke an invitation), change roles,
 * and off-board — deactivate, reactivate, remove, end someone's sessions.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(request, "members:manage:own");
  const members = await organizationMembers(db, organizationId);
  const invitations = await openInvitations(db, organizationId);
  return { members, invitations, selfId: user.id, assignableRoles: ROLES_BY_KIND[user.organization.kind] as readonly Role[] };
}

const MEMBER_CHANGES = {
  deactivate: "deactivate",
  reactivate: "reactivate",
  remove: "remove",
  "end-sessions": "end-sessions",
} as const satisfies Record<string, MemberChange>;

const rolesField = (kind: keyof typeof ROLES_BY_KIND) =>
  z.array(z.enum(ROLES_BY_KIND[kind] as unknown as [Role, ...Role[]], { error: "v.choice" })).min(1, "v.rolesRequired");

export async function action({ request }: ActionFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(request, "members:manage:own");
  const kind = user.organization.kind;
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "invite") {
    const parsed = parseSubmission(formData, invitationSchema(ROLES_BY_KIND[kind]));
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, link: null }, { status: 400 });
    // Only this organization's own members are named (the admin sees them listed anyway). An address
    // with an account in another organization gets the same answer as a new one: the invitation is
    // made, and its acceptance decides (see app/services/invitations.server.ts).
    if (await isMemberEmail(db, organizationId, parsed.data.email)) {
      return data({ intent, errors: { email: { key: "members.alreadyInOrg" as const } }, values: formValues(formData), link: null }, { status: 400 });
    }
    const token = await createInvitation(db, { organizationId, invitedBy: user.id, ...parsed.data });
    return data({ intent, errors: {}, values: {}, link: { email: parsed.data.email, url: invitationUrl(token) } });
  }

  if (intent === "update-roles") {
    const parsed = parseForm(z.object({ userId: z.uuid(), roles: rolesField(kind) }), formData);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, link: null }, { status: 400 });
    const outcome = await updateMemberRoles(db, {
      organizationId,
      userId: parsed.data.userId,
      roles: parsed.data.roles,
      adminRole: ADMIN_ROLE_BY_KIND[kind],
    });
    // Another organization's member is reported exactly like a member who does not exist.
    if (outcome === "not-found") throw notFound();
    if (outcome === "last-admin") {
      return data({ intent, errors: { form: { key: "members.lastAdmin" as const } }, values: {}, link: null }, { status: 400 });
    }
    return data({ intent, errors: {}, values: {}, link: null, updated: true });
  }

  if (intent === "revoke-invitation") {
    const parsed = parseForm(z.object({ invitationId: z.uuid() }), formData);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, link: null }, { status: 400 });
    // Another organization's invitation is reported exactly like one that does not exist.
    if (!(await revokeInvitation(db, organizationId, parsed.data.invitationId))) throw notFound();
    return data({ intent, errors: {}, values: {}, link: null, done: "members.invitationRevoked" as const });
  }

  if (typeof intent === "string" && Object.hasOwn(MEMBER_CHANGES, intent)) {
    const parsed = parseForm(z.object({ userId: z.uuid() }), formData);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, link: null }, { status: 400 });
    const outcome = await changeMember(db, {
      organizationId,
      actorId: user.id,
      userId: parsed.data.userId,
      action: MEMBER_CHANGES[intent as keyof typeof MEMBER_CHANGES],
      adminRole: ADMIN_ROLE_BY_KIND[kind],
    });
    if (outcome.kind === "not-found") throw notFound();
    if (outcome.kind === "self" || outcome.kind === "last-admin") {
      const key = outcome.kind === "self" ? ("members.cannotSelf" as const) : ("members.lastAdminDeactivate" as const);
      return data({ intent, errors: { form: { key } }, values: {}, link: null }, { status: 400 });
    }
    // "remove" of someone the records name deactivates them instead; the notice says so.
    const done =
      outcome.kind === "removed"
        ? ("members.removed" as const)
        : outcome.kind === "reactivated"
          ? ("members.reactivated" as const)
          : outcome.kind === "sessions-ended"
            ? ("members.sessionsEnded" as const)
            : intent === "remove"
              ? ("members.keptDeactivated" as const)
              : ("members.deactivated" as const);
    return data({ intent, errors: {}, values: {}, link: null, done });
  }
  return data({ intent: null, errors: { form: { key: "v.invalid" as const } }, values: {}, link: null }, { status: 400 });
}

export default function Members() {
  const { members, invitations, assignableRoles, selfId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const roleOptions = assignableRoles.map((role) => ({ value: role, label: t(`role.${role}`) }));
  const inviteSchema = useMemo(() => invitationSchema(assignableRoles), [assignableRoles]);
  const { state: inviteState, formProps: inviteFormProps } = useValidatedForm({
    id: "invite-member",
    schema: inviteSchema,
    submitted: actionData?.intent === "invite" ? actionData : undefined,
  });
  const inviteLabels = { email: t("members.email"), name: t("members.name"), roles: t("members.roles") };
  const memberState = actionData && actionData.intent !== "invite" ? actionData : undefined;
  return (
    <>
      <h1>{t("members.title")}</h1>
      <FormErrors state={memberState} />
      {actionData && "updated" in actionData ? <Notice>{t("members.rolesUpdated")}</Notice> : null}
      {actionData && "done" in actionData ? <Notice>{t(actionData.done)}</Notice> : null}
      <section className="card table-wrap">
        <DataTable
          className="stack-on-phone"
          columns={[t("members.name"), t("members.email"), t("members.status"), t("members.roles"), t("members.actions")]}
        >
          {members.map((m) => (
            <tr key={m.id} className={m.deactivated_at ? "muted" : undefined}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>{m.deactivated_at ? t("members.statusDeactivated") : t("members.statusActive")}</td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="update-roles" />
                  <input type="hidden" name="userId" value={m.id} />
                  <fieldset className="checkbox-group">
                    <legend className="sr-only">{t("members.roles")}</legend>
                    {roleOptions.map((o) => (
                      <label key={o.value} className="checkbox">
                        <input type="checkbox" name="roles" value={o.value} defaultChecked={m.roles.includes(o.value)} /> {o.label}
                      </label>
                    ))}
                    <button type="submit" className="secondary">
                      {t("members.updateRoles")}
                    </button>
                  </fieldset>
                </Form>
              </td>
              <td>
                {m.id === selfId ? (
                  <span className="muted small">{t("members.you")}</span>
                ) : (
                  <div className="inline-form">
                    <MemberButton
                      userId={m.id}
                      intent={m.deactivated_at ? "reactivate" : "deactivate"}
                      label={t(m.deactivated_at ? "members.reactivate" : "members.deactivate")}
                      destructive={!m.deactivated_at}
                    />
                    {m.deactivated_at ? null : <MemberButton userId={m.id} intent="end-sessions" label={t("members.endSessions")} />}
                    <MemberButton userId={m.id} intent="remove" label={t("members.remove")} destructive />
                  </div>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        <p className="muted small">{t("members.offboardingHint")}</p>
      </section>

      <section className="card">
        <h2>{t("members.invite")}</h2>
        {actionData?.link ? (
          <Notice>
            {t("members.invited", { email: actionData.link.email })}
            <span className="link-box" data-testid="invitation-link">
              {actionData.link.url}
            </span>
          </Notice>
        ) : null}
        <FormErrors state={inviteState} labels={inviteLabels} />
        <Form method="post" className="stack" {...inviteFormProps}>
          <input type="hidden" name="intent" value="invite" />
          <TextField name="email" type="email" label={inviteLabels.email} state={inviteState} maxLength={254} />
          <TextField name="name" label={inviteLabels.name} state={inviteState} maxLength={100} />
          <CheckboxGroup name="roles" legend={inviteLabels.roles} options={roleOptions} state={inviteState} />
          <div>
            <button type="submit">{t("members.inviteSubmit")}</button>
          </div>
        </Form>
        <h2>{t("members.pending")}</h2>
        {invitations.length === 0 ? (
          <p className="muted">{t("members.none")}</p>
        ) : (
          <ul>
            {invitations.map((i) => (
              <li key={i.id}>
                {i.name} &lt;{i.email}&gt; — {i.roles.map((r) => t(`role.${r}`)).join("、")} · {t("members.expires")}{" "}
                {new Date(i.expires_at).toISOString().slice(0, 10)}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="revoke-invitation" />
                  <input type="hidden" name="invitationId" value={i.id} />
                  <button type="submit" className="secondary">
                    {t("members.revokeInvitation")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** One off-boarding button: a plain form, so it works without JavaScript. */
function MemberButton({ userId, intent, label, destructive = false }: { userId: string; intent: string; label: string; destructive?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" className={destructive ? "secondary destructive" : "secondary"}>
        {label}
      </button>
    </Form>
  );
}
