import { BanStore } from './ban-store.js';
import { openDatabase } from './database.js';
import { GroupStore } from './group-store.js';
import { InviteStore } from './invite-store.js';
import { loadSigningKey, MemberCredentials, type CredentialOptions } from './member-credentials.js';
import { ReportStore } from './report-store.js';
import { RoomStore } from './room-store.js';

/** Everything the server keeps on disk, over one SQLite connection. */
export interface Storage {
  rooms: RoomStore;
  bans: BanStore;
  invites: InviteStore;
  groups: GroupStore;
  reports: ReportStore;
  credentials: MemberCredentials;
  close(): void;
}

/** dataDir null: in memory. Runs migrations (PRAGMA user_version). Async because the signing key is imported with jose. */
export async function openStorage(dataDir: string | null, credentialOptions: CredentialOptions = {}): Promise<Storage> {
  const db = openDatabase(dataDir);
  const groups = new GroupStore(db);
  const key = loadSigningKey(db, Date.now());
  return {
    rooms: new RoomStore(db),
    bans: new BanStore(db),
    invites: new InviteStore(db),
    groups,
    reports: new ReportStore(db),
    credentials: new MemberCredentials(key, groups, credentialOptions),
    close: () => db.close(),
  };
}
