import { SqliteBanStore } from './ban-store.js';
import { openDatabase } from './database.js';
import { SqliteGroupStore } from './group-store.js';
import { SqliteInviteStore } from './invite-store.js';
import { loadSigningKey, MemberCredentials, type CredentialOptions } from './member-credentials.js';
import { SqliteReportStore } from './report-store.js';
import { SqliteRoomStore } from './room-store.js';
import type { BanStore, GroupStore, InviteStore, ReportStore, RoomStore } from './stores.js';

/** Everything the server keeps: in one SQLite file, or in a Redis several servers share. */
export interface Storage {
  rooms: RoomStore;
  bans: BanStore;
  invites: InviteStore;
  groups: GroupStore;
  reports: ReportStore;
  credentials: MemberCredentials;
  close(): Promise<void>;
}

/** dataDir null: in memory. Runs migrations (PRAGMA user_version). Async because the signing key is imported with jose. */
export async function openStorage(dataDir: string | null, credentialOptions: CredentialOptions = {}): Promise<Storage> {
  const db = openDatabase(dataDir);
  const groups = new SqliteGroupStore(db);
  const key = loadSigningKey(db, Date.now());
  return {
    rooms: new SqliteRoomStore(db),
    bans: new SqliteBanStore(db),
    invites: new SqliteInviteStore(db),
    groups,
    reports: new SqliteReportStore(db),
    credentials: new MemberCredentials(key, groups, credentialOptions),
    close: async () => {
      db.close();
    },
  };
}
