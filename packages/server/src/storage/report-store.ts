import type Database from 'better-sqlite3';
import type { ReportReason } from '@treff/protocol';
import type { ReportRecord } from './records.js';

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

/** Reports to the operator: metadata only (see `ReportRecord`). */
export class ReportStore {
  private readonly insertStmt;
  private readonly listOpenStmt;
  private readonly listAllStmt;
  private readonly closeStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, number, string, number, string, string, number, string]>(
      `INSERT INTO reports (id, room_key, room_id, created_at, reason, text, participant_count, display_names)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listOpenStmt = db.prepare<[], ReportRow>('SELECT * FROM reports WHERE closed_at IS NULL ORDER BY created_at, rowid');
    this.listAllStmt = db.prepare<[], ReportRow>('SELECT * FROM reports ORDER BY created_at, rowid');
    this.closeStmt = db.prepare<[number, string]>('UPDATE reports SET closed_at = ? WHERE id = ? AND closed_at IS NULL');
  }

  /** A report's closedAt is ignored: every report starts open. */
  add(report: ReportRecord): void {
    this.insertStmt.run(report.id, report.roomKey, report.roomId, report.createdAt, report.reason, report.text, report.participantCount, JSON.stringify(report.displayNames));
  }

  /** Oldest first. */
  list(status: 'open' | 'all'): ReportRecord[] {
    return (status === 'open' ? this.listOpenStmt : this.listAllStmt).all().map(toRecord);
  }

  /** False when there is no such report or it was already closed. */
  close(id: string, now: number): boolean {
    return this.closeStmt.run(now, id).changes > 0;
  }
}
