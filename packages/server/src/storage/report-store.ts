import type Database from 'better-sqlite3';
import type { ReportReason } from '@treff/protocol';
import type { ReportRecord } from './records.js';
import type { ListedReport, ReportStore } from './stores.js';

interface ReportRow {
  id: string;
  room_key: number;
  room_id: string;
  created_at: number;
  reason: string;
  text: string;
  participant_count: number;
  display_names: string;
  closed_at: number | null;
}

const toRecord = (row: ReportRow): ReportRecord => ({
  id: row.id,
  roomKey: row.room_key,
  roomId: row.room_id,
  createdAt: row.created_at,
  reason: row.reason as ReportReason,
  text: row.text,
  participantCount: row.participant_count,
  displayNames: JSON.parse(row.display_names) as string[],
  closedAt: row.closed_at,
});

const toListed = (row: ReportRow & { current_room_id: string }): ListedReport => ({ ...toRecord(row), currentRoomId: row.current_room_id });

/** Reports to the operator: metadata only (see `ReportRecord`). */
export class SqliteReportStore implements ReportStore {
  private readonly insertStmt;
  private readonly listOpenStmt;
  private readonly listAllStmt;
  private readonly closeStmt;
  private readonly roomKeyStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, number, string, number, string, string, number, string]>(
      `INSERT INTO reports (id, room_key, room_id, created_at, reason, text, participant_count, display_names)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const listed = 'SELECT reports.*, rooms.id AS current_room_id FROM reports JOIN rooms ON rooms.key = reports.room_key';
    this.listOpenStmt = db.prepare<[], ReportRow & { current_room_id: string }>(`${listed} WHERE reports.closed_at IS NULL ORDER BY reports.created_at, reports.rowid`);
    this.listAllStmt = db.prepare<[], ReportRow & { current_room_id: string }>(`${listed} ORDER BY reports.created_at, reports.rowid`);
    this.roomKeyStmt = db.prepare<[string], { room_key: number }>('SELECT room_key FROM reports WHERE room_id = ? LIMIT 1');
    this.closeStmt = db.prepare<[number, string]>('UPDATE reports SET closed_at = ? WHERE id = ? AND closed_at IS NULL');
  }

  async add(report: ReportRecord): Promise<void> {
    this.insertStmt.run(report.id, report.roomKey, report.roomId, report.createdAt, report.reason, report.text, report.participantCount, JSON.stringify(report.displayNames));
  }

  async list(status: 'open' | 'all'): Promise<ListedReport[]> {
    return (status === 'open' ? this.listOpenStmt : this.listAllStmt).all().map(toListed);
  }

  async roomKeyReportedAs(roomId: string): Promise<number | null> {
    return this.roomKeyStmt.get(roomId)?.room_key ?? null;
  }

  async close(id: string, now: number): Promise<boolean> {
    return this.closeStmt.run(now, id).changes > 0;
  }
}
