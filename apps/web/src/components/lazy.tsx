import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { text } from '../strings.js';

/**
 * A component loaded on first use (its own chunk), so opening a meeting link downloads neither the group,
 * directory and home screens nor the host-only panels. `placeholder` shows while it loads.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, placeholder: () => ComponentChildren = () => null): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (loaded) return;
      void load().then((component) => {
        loaded = component;
        setComponent(() => component);
      });
    }, []);
    return Component ? <Component {...props} /> : <>{placeholder()}</>;
  };
}

export const screenPlaceholder = () => (
  <main class="center-screen" aria-busy="true">
    <div class="spinner" aria-hidden="true" />
    <p class="muted">{text.gettingReady}</p>
  </main>
);
