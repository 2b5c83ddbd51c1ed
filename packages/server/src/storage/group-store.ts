import type Database from 'better-sqlite3';
import type { GroupRecord, MemberRecord } from './records.js';
import type { GroupStore } from './stores.js';

interface GroupRow {
  id: string;
  name: string;
  admin_secret_hash: string;
  member_invite_hash: string;
  created_at: number;
}

interface MemberRow {
  id: string;
  group_id: string;
  name: string;
  role: 'admin' | 'member';
  created_at: number;
  revoked_at: number | null;
}

const toGroup = (row: GroupRow): GroupRecord => ({
  id: row.id,
  name: row.name,
  adminSecretHash: row.admin_secret_hash,
  memberInviteHash: row.member_invite_hash,
  createdAt: row.created_at,
});

const toMember = (row: MemberRow): MemberRecord => ({
  id: row.id,
  groupId: row.group_id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Groups without accounts: an admin secret, a rotating member invite code, and members holding credentials. */
export class SqliteGroupStore implements GroupStore {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly rotateStmt;
  private readonly addMemberStmt;
  private readonly getMemberStmt;
  private readonly listMembersStmt;
  private readonly revokeMemberStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, string, string, string, number]>(
      'INSERT INTO groups (id, name, admin_secret_hash, member_invite_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<[string], GroupRow>('SELECT * FROM groups WHERE id = ?');
    this.rotateStmt = db.prepare<[string, string]>('UPDATE groups SET member_invite_hash = ? WHERE id = ?');
    this.addMemberStmt = db.prepare<[string, string, string, string, number, number | null]>(
      'INSERT INTO members (id, group_id, name, role, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.getMemberStmt = db.prepare<[string], MemberRow>('SELECT * FROM members WHERE id = ?');
    this.listMembersStmt = db.prepare<[string], MemberRow>('SELECT * FROM members WHERE group_id = ? AND revoked_at IS NULL ORDER BY created_at, rowid');
    this.revokeMemberStmt = db.prepare<[number, string, string]>('UPDATE members SET revoked_at = ? WHERE group_id = ? AND id = ? AND revoked_at IS NULL');
  }

  async create(group: GroupRecord): Promise<void> {
    this.insertStmt.run(group.id, group.name, group.adminSecretHash, group.memberInviteHash, group.createdAt);
  }

  async get(id: string): Promise<GroupRecord | null> {
    const row = this.getStmt.get(id);
    return row ? toGroup(row) : null;
  }

  async rotateMemberInvite(id: string, memberInviteHash: string): Promise<void> {
    this.rotateStmt.run(memberInviteHash, id);
  }

  async addMember(member: MemberRecord): Promise<void> {
    this.addMemberStmt.run(member.id, member.groupId, member.name, member.role, member.createdAt, member.revokedAt);
  }

  async getMember(id: string): Promise<MemberRecord | null> {
    const row = this.getMemberStmt.get(id);
    return row ? toMember(row) : null;
  }

  async listMembers(groupId: string): Promise<MemberRecord[]> {
    return this.listMembersStmt.all(groupId).map(toMember);
  }

  async revokeMember(groupId: string, memberId: string, now: number): Promise<boolean> {
    return this.revokeMemberStmt.run(now, groupId, memberId).changes > 0;
  }
}
