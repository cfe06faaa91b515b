import { AppHeader } from "@/components/app-header";
import { pageAccountState, pageUser } from "@/lib/auth/page-user";

/**
 * The signed-in pages with the app bar (the dashboard, a project without chats, settings; the full-screen chat is
 * in (chat)). The bar shows the user the page reads too: one lookup per request.
 *
 * A signed-out visitor is sent to the login page by the proxy, and again by each page (requirePageUser), not here:
 * only the page knows its own address for `?next=`, and a layout cannot guard its page anyway (Next renders the
 * two side by side, and keeps the layout without rendering it again on client-side navigation).
 */
export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const [user, account] = await Promise.all([pageUser(), pageAccountState()]);
  return (
    <>
      <AppHeader user={user} isAdmin={account?.role === "admin"} />
      {children}
    </>
  );
}
