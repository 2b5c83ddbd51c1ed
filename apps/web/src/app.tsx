import { lazyComponent, screenPlaceholder } from './components/lazy.js';
import { RoomPage } from './screens/room-page.js';
import { useLanguage } from './use-language.js';

// Opening a meeting link is the common case: only the room's screens are in the first download.
const Home = lazyComponent(() => import('./screens/home.js').then((m) => m.Home), screenPlaceholder);
const Directory = lazyComponent(() => import('./screens/directory.js').then((m) => m.Directory), screenPlaceholder);
const GroupPage = lazyComponent<{ groupId: string }>(() => import('./screens/group.js').then((m) => m.GroupPage), screenPlaceholder);

/** Screens chosen by path; the server serves index.html for these paths (rooms only when they exist). */
export function App() {
  // Every text reads the active language when rendered, so switching only needs this re-render.
  useLanguage();
  const path = location.pathname;
  const room = /^\/r\/([A-Za-z0-9_-]{1,64})\/?$/.exec(path);
  if (room?.[1]) return <RoomPage roomId={room[1]} />;
  const group = /^\/g\/([A-Za-z0-9_-]{1,64})\/?$/.exec(path);
  if (group?.[1]) return <GroupPage groupId={group[1]} />;
  if (/^\/rooms\/?$/.test(path)) return <Directory />;
  return <Home />;
}
