// Loaded on demand (see use-streamdown-plugins.ts): KaTeX and its stylesheet are in this chunk, not in the chat page's
// first load. The stylesheet's fonts are bundled by Next and served from /_next/static/media (the CSP's
// font-src 'self'); no CDN.
import "katex/dist/katex.min.css";
import { createMathPlugin } from "@streamdown/math";

// Single-dollar formulas are on: lib/chat/ui/math.ts has already escaped the dollars that are not formulas.
export const math = createMathPlugin({ singleDollarTextMath: true });
