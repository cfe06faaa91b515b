import type { Metadata, Viewport } from "next";
import { ToastProvider } from "@/components/ui/toast";
import { themeScript } from "@/lib/utils/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Parley", template: "%s · Parley" },
  description: "Self-hosted AI chat with projects, streaming replies and long-term memory.",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f1115" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The inline script sets data-theme before the first paint (no flash of the wrong theme); React is told the
    // attribute differs from the server's HTML on purpose. The CSP allows inline scripts (lib/api/security-headers.ts).
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-dvh antialiased">
        <ToastProvider>{children}</ToastProvider>
      </body>
    </html>
  );
}
