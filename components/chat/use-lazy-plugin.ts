"use client";

import { useEffect, useState } from "react";

/**
 * A hook for a Streamdown plugin that is loaded only when a message needs it (math: KaTeX; code blocks: shiki):
 * one import for the whole page, later messages get it at once. The hook answers `undefined` until the chunk has
 * arrived (the message shows unhighlighted, or its TeX source, for that moment), and for messages that do not
 * need it. A failed chunk load is forgotten, so the next message that needs it tries again.
 */
export function lazyPlugin<Plugin>(load: () => Promise<Plugin>): (needed: boolean) => Plugin | undefined {
  let loaded: Plugin | undefined;
  let loading: Promise<Plugin> | undefined;
  return function useLazyPlugin(needed) {
    const [plugin, setPlugin] = useState(loaded);
    useEffect(() => {
      if (!needed || plugin) return;
      let live = true;
      loading ??= load().then((value) => (loaded = value));
      loading.then(
        (value) => live && setPlugin(() => value),
        () => {
          loading = undefined;
        },
      );
      return () => {
        live = false;
      };
    }, [needed, plugin]);
    return needed ? plugin : undefined;
  };
}
