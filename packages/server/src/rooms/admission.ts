import type { ClientMessage, MessageOf } from '@treff/protocol';
import { hashSecret, secretMatches } from '../ids.js';
import { verifyPassword } from '../storage/password-hash.js';
import type { MemberRecord, RoomRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import type { Identity } from './participant.js';
import { LocalPasswordGuesses, type PasswordGuesses } from './password-guesses.js';
import { RoomError } from './room-error.js';

type JoinRequest = MessageOf<ClientMessage, 'join'>;

export interface Admitted {
  record: RoomRecord;
  role: 'host' | 'guest';
  identity: Identity;
}

/**
 * Who may come into a room, checked in this order: the room exists and is not blocked; who the joiner
 * is (host link, group membership, invite, device); bans; the room's join mode; its password. What
 * depends on the live meeting (lock, size, lobby) the room checks itself when they enter.
 */
export class Admission {
  constructor(
    private readonly storage: Storage,
    private readonly guesses: PasswordGuesses = new LocalPasswordGuesses(),
  ) {}

  /**
   * Throws RoomError when the join is refused. Resolves null when the client went away while its
   * credential or password was checked (`gone` says so).
   */
  async check(request: JoinRequest, address: string, gone: () => boolean): Promise<Admitted | null> {
    const record = await this.room(request.roomId);
    const hostLink = request.hostSecret !== undefined && secretMatches(request.hostSecret, record.hostSecretHash);
    const member = request.memberToken !== undefined && record.groupId !== null ? await this.member(request.memberToken, record.groupId) : null;
    if (gone()) return null;
    const invite = request.inviteToken !== undefined ? await this.storage.invites.findActive(record.key, hashSecret(request.inviteToken)) : null;
    const identity: Identity = {
      hostLink,
      groupAdmin: member?.role === 'admin',
      memberId: member?.id ?? null,
      inviteId: invite?.id ?? null,
      deviceHash: request.deviceId !== undefined ? hashSecret(request.deviceId) : null,
    };

    if (!hostLink && (await this.storage.bans.isBanned(record.key, identity))) throw new RoomError('banned', 'you were removed from this meeting and cannot rejoin it');
    const { joinMode, passwordHash } = record.settings;
    if (joinMode === 'group' && !hostLink && member === null) {
      throw new RoomError('members-only', 'this meeting is open to members of its group only; join the group first (or use your member link on this device)');
    }
    if (joinMode === 'invite' && !hostLink && !identity.groupAdmin && invite === null) {
      throw new RoomError('not-invited', 'this meeting is by personal invitation only, and this invite link is missing, wrong or revoked');
    }
    if (passwordHash !== null && !hostLink && !identity.groupAdmin) {
      if (request.password === undefined) throw new RoomError('password-required', 'this meeting has a password');
      if (!(await this.passwordMatches(request.password, passwordHash, address, record.key))) {
        throw new RoomError('wrong-password', 'that is not the password of this meeting');
      }
      if (gone()) return null;
    }
    // The checks above took a while: the room may have been blocked or its link rotated meanwhile.
    const fresh = await this.room(request.roomId);
    return { record: fresh, role: hostLink ? 'host' : 'guest', identity };
  }

  private async room(roomId: string): Promise<RoomRecord> {
    const record = await this.storage.rooms.get(roomId);
    if (record === null) throw new RoomError('room-not-found', 'this meeting does not exist; check the link');
    if (record.blockedAt !== null) throw new RoomError('room-blocked', 'this meeting was closed by the server’s operator');
    return record;
  }

  /** The member behind a credential, if it is valid and of this room's group. */
  private async member(token: string, groupId: string): Promise<MemberRecord | null> {
    const member = await this.storage.credentials.verify(token);
    return member !== null && member.groupId === groupId ? member : null;
  }

  /** A right guess is refunded (see PasswordGuesses). */
  private async passwordMatches(password: string, hash: string, address: string, roomKey: number): Promise<boolean> {
    const guess = await this.guesses.take(address, `room:${roomKey}`);
    if ('retryAfterMs' in guess) throw new RoomError('too-many-attempts', `too many wrong passwords; try again in ${Math.ceil(guess.retryAfterMs / 1000)} s`);
    const right = await verifyPassword(password, hash);
    if (right) await guess.refund();
    return right;
  }
}
