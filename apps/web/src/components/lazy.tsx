import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { text } from '../strings.js';

/**
 * A screen loaded on first use (its own chunk), so opening a meeting link does not download the group,
 * directory and home screens.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (loaded) return;
      void load().then((screen) => {
        loaded = screen;
        setScreen(() => screen);
      });
    }, []);
    if (!Screen) {
      return (
        <main class="center-screen" aria-busy="true">
          <div class="spinner" aria-hidden="true" />
          <p class="muted">{text.gettingReady}</p>
        </main>
      );
    }
    return <Screen {...props} />;
  };
}
