"use client";

import { useEffect, useState } from "react";
import type { MathPlugin } from "@streamdown/math";

/** The KaTeX plugin once loaded: one import for the whole page, later messages get it at once. */
let loaded: MathPlugin | undefined;
let loading: Promise<MathPlugin> | undefined;

/**
 * Streamdown's math plugin for a reply that needs it: `undefined` until the chunk has arrived (the formula
 * shows as its TeX source for that moment), and never loaded for replies without math.
 */
export function useMathPlugin(needed: boolean): MathPlugin | undefined {
  const [plugin, setPlugin] = useState(loaded);
  useEffect(() => {
    if (!needed || plugin) return;
    let live = true;
    loading ??= import("./math-plugin").then((module) => (loaded = module.math));
    loading.then(
      (math) => live && setPlugin(math),
      () => {
        loading = undefined; // a failed chunk load may succeed on the next reply
      },
    );
    return () => {
      live = false;
    };
  }, [needed, plugin]);
  return needed ? plugin : undefined;
}
