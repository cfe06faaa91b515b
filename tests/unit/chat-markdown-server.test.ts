import { createElement } from "react";
import { prerender } from "react-dom/static";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/chat/markdown";

/** The HTML the server sends for a stored reply (#16: its code blocks highlighted there, no client highlighter). */
async function serverHtml(markdown: string): Promise<string> {
  const code = markdown.includes("```");
  const { prelude } = await prerender(createElement(Markdown, { id: "m", markdown, streaming: false, math: false, code }));
  return new Response(prelude).text();
}

describe("a stored reply's server HTML", () => {
  it("highlights a code block in both themes, with a focusable named body and a Copy", async () => {
    const html = await serverHtml("Here:\n\n```js\nconsole.log(1)\n```\n\nand `inline`");
    expect(html).toContain('data-streamdown="code-block"');
    expect(html).toContain("data-highlighted");
    // Light colour and dark colour of a token, as CSS variables that the theme's classes choose between.
    expect(html).toMatch(/style="--sdm-c:#[0-9A-Fa-f]{6};--shiki-dark:#[0-9A-Fa-f]{6}"/);
    // github-light and github-dark's colours of a function name.
    expect(html).toContain('style="--sdm-c:#6F42C1;--shiki-dark:#B392F0">log</span>');
    expect(html).toMatch(/data-streamdown="code-block-body"[^>]*tabindex="0"[^>]*role="group"[^>]*aria-label="Code, js"/);
    // The <pre>'s plain colours: a streamed block keeps them (the browser refuses shiki's "#fff;--shiki-dark-bg:…").
    expect(html).toMatch(/<pre [^>]*style="--sdm-bg:transparent;--sdm-fg:inherit"/);
    expect(html).toContain('data-streamdown="code-block-copy-button"');
    expect(html).not.toContain("code-block-download-button");
    expect(html).toContain('<span class="ml-1 font-mono lowercase">js</span>');
    // Inline code stays Streamdown's.
    expect(html).toContain('data-streamdown="inline-code"');
  });

  it("escapes what the code and its language say", async () => {
    const html = await serverHtml('```html"><img src=x onerror=alert(1)>\n<script>alert(1)</script>\n```');
    expect(html).not.toMatch(/<script>alert|<img src=x/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("keeps an unknown language, highlighted as plain text", async () => {
    const html = await serverHtml("```nosuchlanguage\nplain words\n```");
    expect(html).toContain("data-highlighted");
    expect(html).toContain('aria-label="Code, nosuchlanguage"');
    expect(html).toContain("plain words");
  });
});
