/**
 * The password forms: changing one's password and accepting an invitation (which sets one, or
 * confirms the existing account's). Validated in the browser (Conform) and by the actions; whether
 * the current password is right, and the sign-in limits, only the server can check.
 */
import { z } from "zod";
import { fields } from "./forms.ts";

export const PasswordChangeSchema = z
  .object({
    currentPassword: z.string().min(1).max(200),
    newPassword: fields.password(),
    confirmPassword: z.string().min(1).max(200),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "v.passwordMismatch", path: ["confirmPassword"] });

export const InvitationAcceptanceSchema = z
  .object({ name: fields.text(100), password: fields.password(), confirmPassword: z.string().min(1).max(200) })
  .refine((v) => v.password === v.confirmPassword, { message: "v.passwordMismatch", path: ["confirmPassword"] });
