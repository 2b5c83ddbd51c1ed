import { Home } from './screens/home.js';
import { RoomPage } from './screens/room-page.js';

/** Two screens, chosen by path; the server only serves index.html for rooms that exist. */
export function App() {
  const match = /^\/r\/([A-Za-z0-9_-]{1,64})\/?$/.exec(location.pathname);
  if (match?.[1]) return <RoomPage roomId={match[1]} />;
  return <Home />;
}
