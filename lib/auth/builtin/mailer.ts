import "server-only";
import nodemailer from "nodemailer";
import { getConfig } from "@/lib/config/env";

/** Sends the reset link by SMTP when configured; otherwise writes it to the server log for the operator. */
export async function sendPasswordResetLink(email: string, link: string): Promise<void> {
  const { smtp } = getConfig();
  if (!smtp) {
    console.info(`[parley] password reset link for ${email}: ${link}`);
    return;
  }
  const transport = nodemailer.createTransport(smtp.url);
  await transport.sendMail({
    from: smtp.from,
    to: email,
    subject: "Reset your Parley password",
    text: `Someone asked to reset the password of your Parley account.\n\nSet a new password within 30 minutes: ${link}\n\nIf it was not you, ignore this email.`,
  });
}
