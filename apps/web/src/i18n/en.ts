// English, the app's first language: every string the web app shows. Functions take what varies (names,
// counts) so word order and plural forms stay each translator's choice. Its shape is `Strings`, which every
// other language must match key for key and signature for signature.
import type { BreakoutProblem, ConnectionState, ScreenShareFailure } from '@treff/client';
import type { EndedReason, ErrorCode, JoinMode, ReportReason, Role } from '@treff/protocol';
import type { DraftProblem } from '../polls.js';

/** The codes of the server's refusals of an action in the meeting. */
export type RefusalCode = 'forbidden' | 'not-found' | 'wrong-state' | 'bad-request';

export const en = {
  appName: 'Treff',
  gettingReady: 'Getting ready…',
  home: 'Home',
  goHome: 'Go to the home page',
  cancel: 'Cancel',
  copy: 'Copy',
  copied: 'Copied',
  copiedToClipboard: 'Copied to the clipboard',
  you: 'You',
  youSuffix: '(you)',
  nameWithYou: (name: string) => `${name} (you)`,
  meeting: 'Meeting',
  unreachable: 'Could not reach the server. Check your connection and try again.',
  serverAnswered: (status: number) => `The server answered ${status}.`,
  pages: 'Pages',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,

  // home
  homeTitle: 'Video meetings that stay yours.',
  homeLead: 'Private video calls on your own server. Share a link, type a name, and you’re in — no account, no tracking, no time limit.',
  meetingTitleLabel: 'Meeting title (optional)',
  meetingTitlePlaceholder: 'e.g. Weekly sync',
  creating: 'Creating…',
  newMeeting: 'New meeting',
  createFailed: 'Could not create the meeting.',
  roomReadyNamed: (title: string) => `“${title}” is ready`,
  roomReady: 'Your meeting is ready',
  roomLinkLabel: 'Room link — share with guests',
  copyRoomLink: 'Copy room link',
  hostLinkLabel: 'Host link — for you',
  copyHostLink: 'Copy host link',
  hostLinkHint: 'Keep the host link private: whoever opens it joins as a host.',
  joinAsHost: 'Join as host',
  createAnother: 'Create another',
  homeFootnote: 'Calls run through this server only — no third parties involved.',
  newGroup: 'New group',
  meetingInstead: 'Start a meeting instead',
  groupNameLabel: 'Group name',
  groupNamePlaceholder: 'e.g. Book club',
  createGroup: 'Create group',
  groupCreateFailed: 'Could not create the group.',
  groupReady: (name: string) => `“${name}” is ready`,
  groupAdminLinkLabel: 'Admin link — for you',
  copyGroupAdminLink: 'Copy admin link',
  groupAdminLinkHint: 'Keep it private: whoever opens it manages the group.',
  groupMemberLinkLabel: 'Member invite link — share with members',
  copyGroupMemberLink: 'Copy member invite link',
  openGroup: 'Open the group',
  browsePublicRooms: 'Browse public rooms',

  // room page
  roomNotFound: 'This meeting link doesn’t exist',
  roomNotFoundHint: 'Check that you have the whole link, or start a new meeting.',
  youLeft: 'You left the meeting',
  disconnected: 'You were disconnected',
  rejoin: 'Rejoin',

  // pre-join
  startingCamera: 'Starting camera…',
  cameraIsOff: 'Camera is off',
  muteMicrophone: 'Mute microphone',
  unmuteMicrophone: 'Unmute microphone',
  turnCameraOff: 'Turn camera off',
  turnCameraOn: 'Turn camera on',
  camera: 'Camera',
  microphone: 'Microphone',
  noCamera: 'No camera found',
  noMicrophone: 'No microphone found',
  cameraN: (n: number) => `Camera ${n}`,
  microphoneN: (n: number) => `Microphone ${n}`,
  cameraProblem: (problem: string) => `Camera: ${problem}`,
  microphoneProblem: (problem: string) => `Microphone: ${problem}`,
  readyToJoin: 'Ready to join?',
  peopleHere: (count: number) => (count === 0 ? 'No one else is here yet.' : count === 1 ? '1 person is in this meeting.' : `${count} people are in this meeting.`),
  joiningAsHost: 'You are joining as host',
  yourName: 'Your name',
  yourNamePlaceholder: 'How others will see you',
  password: 'Password',
  passwordPlaceholder: 'The meeting’s password',
  join: 'Join',
  nameRemembered: 'No account needed. Your name is remembered in this browser only.',
  lockedNotice: 'This meeting is locked: no one new can join until a host unlocks it.',
  lobbyNotice: 'A host lets you in after you ask to join.',
  groupNotice: (group: string) => `This meeting belongs to the group “${group}”.`,
  prejoinRequiresE2ee: 'A host requires end-to-end encryption: the server cannot see or hear this meeting.',
  prejoinCannotEncrypt: 'This browser cannot encrypt calls end to end: while you are in the meeting, it is not end-to-end encrypted for anyone. A current Chrome, Firefox or Safari can.',

  // lobby
  waitingForHost: 'Waiting for a host to let you in',
  waitingHint: (title: string) => (title ? `You asked to join “${title}”. Keep this page open.` : 'Keep this page open.'),
  waitingReconnecting: 'Connection interrupted — reconnecting. You will ask to join again, at the back of the queue.',

  // meeting
  microphoneError: (problem: string) => `Microphone: ${problem}`,
  cameraError: (problem: string) => `Camera: ${problem}`,
  joinedToast: (name: string) => `${name} joined`,
  leftToast: (name: string) => `${name} left`,
  removedToast: (name: string) => `${name} was removed; the meeting is now locked`,
  lockedToast: 'The meeting is now locked',
  reconnectingToast: 'Connection interrupted — reconnecting…',
  roomLinkCopied: 'Room link copied',
  copyThisLink: (link: string) => `Copy this link: ${link}`,
  aloneTitle: 'You’re the only one here',
  aloneHint: 'Share the room link to invite others.',
  aloneInBreakoutTitle: 'Nobody else is in this breakout room yet',
  aloneInBreakoutHint: 'The others you were put with may still be on their way; the breakout rooms button shows who is where.',
  meetingControls: 'Meeting controls',
  participants: 'Participants',
  leave: 'Leave',
  leaveTitle: 'Leave the meeting',
  endForAll: 'End meeting for all',
  confirmEndForAll: 'End the meeting for everyone?',
  enableAudio: 'Click to enable audio',
  locked: 'Locked',
  lockMeeting: 'Lock meeting',
  unlockMeeting: 'Unlock meeting',
  lockedIndicator: 'This meeting is locked',
  settings: 'Meeting settings',
  reportRoom: 'Report this room',
  forceMuted: (who: string | null, kinds: readonly ('audio' | 'video')[]) => {
    const what = kinds.length === 2 ? 'microphone and camera' : kinds[0] === 'video' ? 'camera' : 'microphone';
    return who ? `${who} turned your ${what} off` : `A host turned your ${what} off`;
  },
  unmuteAsk: (who: string | null, kind: 'audio' | 'video') => `${who ?? 'A host'} asks you to turn your ${kind === 'audio' ? 'microphone' : 'camera'} on`,
  turnOn: 'Turn on',
  notNow: 'Not now',
  waitingToast: (name: string) => `${name} is waiting to join`,
  notSent: 'Could not send: the connection is interrupted. Try again in a moment.',
  rateLimited: 'Not done: too many requests. Try again later.',
  actionTooLarge: 'Not done: that was too large to send.',
  linkRotated: (link: string | null) =>
    link ? `The room has a new link: ${link} — the old one no longer works.` : 'The room has a new link; the old one no longer works.',

  // chat
  chat: 'Chat',
  chatWithUnread: (count: number) => `Chat, ${count} unread`,
  chatEmpty: 'No messages yet. Say hello!',
  chatTo: 'To',
  chatEveryone: 'Everyone',
  chatPlaceholder: 'Write a message…',
  chatPrivatePlaceholder: (name: string) => `Write privately to ${name}…`,
  chatMessageLabel: 'Message',
  chatSend: 'Send',
  chatPrivateTo: (name: string) => `privately to ${name}`,
  chatPrivate: 'privately to you',
  chatYou: 'You',
  chatSomeoneWhoLeft: 'someone who left',
  chatNewMessage: (name: string) => `New message from ${name}`,
  chatMessages: 'Messages',
  chatEncrypted: 'Messages are end-to-end encrypted',
  chatSealedBeforeJoin: 'Encrypted message sent before you joined',
  chatSentInClear: 'not end-to-end encrypted',
  exportChat: 'Export chat (Markdown)',
  chatExportTitle: (title: string) => (title ? `Chat of ${title}` : 'Chat of this meeting'),
  chatExportNote: (when: string) => `Exported ${when}: the public messages and your private ones. Treff keeps no chat after the meeting.`,
  chatEmptyExport: 'No messages.',
  chatExportPrivate: (who: string, to: string) => `${who}, privately to ${to}`,

  // end-to-end encryption
  e2eeOn: 'End-to-end encrypted',
  e2eeOff: 'Not end-to-end encrypted',
  e2eeOffBecause: (reason: string) => `Not end-to-end encrypted: ${reason}`,
  e2eeBrowserCannot: 'this browser cannot encrypt',
  /** `who` names them ("Bob", "Bob and Ada", "Bob, Ada and 2 others"); `count` says how many they are. */
  e2eeAppsCannot: (who: string, count: number) => (count === 1 ? `${who}’s app cannot encrypt` : `the apps of ${who} cannot encrypt`),
  someone: 'someone',
  peopleN: (n: number) => `${n} people`,
  othersN: (n: number) => (n === 1 ? '1 other' : `${n} others`),
  listOf: (parts: readonly string[]) => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`),
  e2eeNowOn: 'The meeting is now end-to-end encrypted',
  identityChanged: (who: string) =>
    `Warning: the security key of ${who} changed during the meeting. Your keys are no longer sent to them, so they cannot see or hear you. Someone may be intercepting the meeting: ask them to leave and rejoin, then compare security codes.`,
  e2eeNowOff: (reason: string | null) => (reason ? `The meeting is no longer end-to-end encrypted: ${reason}` : 'The meeting is no longer end-to-end encrypted'),
  securityHeading: 'Security of this meeting',
  securityClose: 'Close',
  securityEncrypted:
    'Audio, video and chat are encrypted in each participant’s browser with keys the server never has. The server passes them on but cannot see or hear this meeting or read its chat.',
  securityNotEncrypted:
    'Audio, video and chat are encrypted only on the way to and from the server, so the server could see and hear this meeting. It becomes end-to-end encrypted as soon as every participant’s app can encrypt.',
  securityRequired: 'A host requires end-to-end encryption: apps that cannot encrypt cannot join.',
  securityMetadataHeading: 'What the server still sees',
  securityMetadata:
    'Who is in the meeting and their names, when people join and leave, who is speaking (the loudness of each microphone, so it can pick whom to send), and how large and how frequent the media packets are — never what is said or shown.',
  securityNoRecording:
    'Recording or streaming on the server would need the audio and video the server cannot see, so an end-to-end encrypted meeting can only be recorded by a participant.',
  keyChanges: (epoch: number) =>
    epoch === 0 ? 'Your encryption key has not changed since you joined.' : epoch === 1 ? 'Your encryption key has changed once since you joined.' : `Your encryption key has changed ${epoch} times since you joined.`,
  keyChangesWhy: 'It changes whenever someone joins, so they cannot decrypt what came before, and whenever someone leaves, so they cannot decrypt what follows.',
  safetyCodesHeading: 'Security codes',
  safetyCodesHow:
    'To be sure no one — not even the server — sits between you and someone, compare the code next to their name with the code they see next to yours: read it to each other in the call, or over another channel you trust. The code is the same on both sides. If it differs, someone may be listening in: leave the meeting.',
  safetyCodesNew: 'Codes are new each time someone opens or reloads the meeting page.',
  safetyCodeFor: (name: string) => `Security code with ${name}`,
  safetyCodeNone: 'No code: their app cannot encrypt',
  safetyCodeLoading: 'Working it out…',
  safetyCodesUnsupported: 'This browser cannot encrypt end to end, so there are no security codes to compare.',
  safetyCodesAlone: 'No one else is here yet.',
  verifySecurityCode: 'Verify security code',
  cannotEncrypt: 'Their app cannot encrypt end to end',
  selfCannotEncrypt: 'This browser cannot encrypt end to end',

  // hands and reactions
  raiseHand: 'Raise hand',
  lowerYourHand: 'Lower your hand',
  lowerHand: 'Lower hand',
  lowerHandOf: (name: string) => `Lower ${name}’s hand`,
  handRaised: (position: number) => `Hand raised, ${position === 1 ? 'first' : `number ${position}`} in line`,
  handRaisedToast: (name: string) => `${name} raised their hand`,
  reactions: 'Reactions',
  reactWith: (emoji: string) => `React with ${emoji}`,
  reactedLabel: (emoji: string) => `Reaction ${emoji}`,

  // screen sharing
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  screenOf: (name: string) => `${name}’s screen`,
  yourScreen: 'Your screen',
  screenShareStoppedBy: (who: string | null) => `${who ?? 'A host'} stopped your screen share`,
  screenShareStartedToast: (name: string) => `${name} is sharing their screen`,
  stopScreenShare: 'Stop screen share',
  screenShares: 'Screen shares',
  showScreenOf: (name: string) => `Show ${name}’s screen`,
  cameras: 'Cameras',
  speakerView: 'Speaker view',
  pinTile: (name: string) => `Pin ${name}`,
  unpinTile: (name: string) => `Unpin ${name}`,
  sharingScreen: 'Sharing their screen',

  // shared video
  shareVideo: 'Share a video',
  videoUrl: 'Address of a video file',
  videoUrlPrivacy:
    'A direct link to a video file (MP4, WebM or Ogg), not a page like YouTube. Each browser here loads the video from that address itself, so that site sees each of you. The server sees the address: it is not end-to-end encrypted.',
  videoUrlInvalid: 'Enter an address that starts with http:// or https://.',
  playForEveryone: 'Play for everyone',
  sharedVideo: 'Shared video',
  stopVideo: 'Stop video',
  unmuteVideo: 'Unmute video',
  videoUnavailable: 'The video could not be loaded from its address.',

  // breakout rooms
  breakoutRooms: 'Breakout rooms',
  breakoutsNoneOpen: 'No breakout rooms are open.',
  breakoutsHowTo: 'Split the meeting into smaller rooms for a while. People there see, hear and chat only with each other, and everyone comes back when you close the rooms.',
  breakoutRoomCount: 'Number of rooms',
  breakoutRoomName: (n: number) => `Name of room ${n}`,
  breakoutDefaultName: (n: number) => `Room ${n}`,
  breakoutAssignment: 'Who goes where',
  breakoutAssignManual: 'I put people in rooms myself',
  breakoutAssignRandom: 'Spread everyone over the rooms at random',
  breakoutTimer: 'Time limit in minutes (leave empty for none)',
  breakoutSelfSelect: 'Participants may choose a room themselves',
  openBreakouts: 'Open breakout rooms',
  breakoutProblem: (problem: BreakoutProblem) => {
    switch (problem) {
      case 'no-rooms':
        return 'Open at least one room.';
      case 'too-many-rooms':
        return 'That is too many rooms.';
      case 'name-missing':
        return 'Give every room a name.';
      case 'name-too-long':
        return 'A room name is too long.';
      case 'assign-invalid':
        return 'Choose how people are put in rooms.';
      case 'minutes-invalid':
        return 'Enter the time limit as whole minutes, or leave it empty.';
    }
  },
  breakoutMainRoom: 'Main room',
  breakoutPeopleCount: (count: number) => (count === 1 ? '1 person' : `${count} people`),
  breakoutNobody: 'Nobody here yet',
  breakoutMoveTo: (name: string) => `Room for ${name}`,
  breakoutJoin: 'Join',
  breakoutJoinRoom: (room: string) => `Join ${room}`,
  breakoutYouAreHere: 'You are here',
  breakoutReturn: 'Return to main room',
  breakoutGuestHint: 'Pick a room to join, or stay where you are.',
  breakoutBroadcastLabel: 'Message to all rooms',
  breakoutBroadcastSend: 'Send to all rooms',
  closeBreakouts: 'Close all rooms',
  confirmCloseBreakouts: 'Close all breakout rooms and bring everyone back to the main room?',
  breakoutCloseYes: 'Yes, close all rooms',
  breakoutTimeLeft: (time: string) => `${time} left`,
  breakoutBadge: (room: string) => `Your room: ${room}`,
  breakoutMovedTo: (room: string) => `You are now in the breakout room ${room}.`,
  breakoutBackInMain: 'You are back in the main room.',
  breakoutBroadcastFrom: (name: string) => `${name} to all rooms`,
  breakoutDismiss: 'Dismiss the message',
  chatEveryoneInRoom: (room: string) => `Everyone in ${room}`,
  chatEveryoneInMainRoom: 'Everyone in the main room',

  // notes and whiteboard
  notes: 'Notes',
  notesChanged: 'Notes (changed by others)',
  notesLabel: 'Shared notes',
  notesPlaceholder: 'Notes everyone here can edit. Markdown works: # heading, - list, **bold**.',
  notesSaved: 'Saved to everyone',
  notesSyncing: 'Syncing…',
  notesUnanswered: 'Could not get the notes from the others (too large to send, or held back since the meeting is no longer encrypted). What you write is still shared.',
  notesOffline: 'Offline: your changes go out when you are back',
  notesFull: 'The notes are full. Remove some text to add more.',
  notesEncryptedHint: 'Notes are end-to-end encrypted and kept only in the browsers of the people here. They vanish when the meeting ends: download them to keep them.',
  notesClearHint: 'Notes are not end-to-end encrypted right now. They are kept only in the browsers of the people here and vanish when the meeting ends: download them to keep them.',
  notesDownload: 'Download as Markdown',
  whiteboard: 'Whiteboard',
  whiteboardChanged: 'Whiteboard (changed by others)',
  whiteboardTools: 'Whiteboard tools',
  whiteboardBoard: (strokes: number) => (strokes === 1 ? 'Whiteboard, 1 stroke' : `Whiteboard, ${strokes} strokes`),
  whiteboardPen: 'Pen',
  whiteboardEraser: 'Eraser',
  whiteboardColors: 'Pen colour',
  /** One name per pen colour, in the palette's order (black, red, orange, green, blue, purple). */
  whiteboardColorNames: ['Black', 'Red', 'Orange', 'Green', 'Blue', 'Purple'],
  whiteboardWidths: 'Pen width',
  /** One name per pen width, thinnest first. */
  whiteboardWidthNames: ['Thin', 'Medium', 'Thick'],
  whiteboardUndo: 'Undo',
  whiteboardRedo: 'Redo',
  whiteboardUndoShortcut: 'Undo your last stroke (Ctrl+Z)',
  whiteboardRedoShortcut: 'Redo (Ctrl+Shift+Z)',
  whiteboardClear: 'Clear board',
  whiteboardConfirmClear: 'Clear the whiteboard for everyone? This cannot be undone.',
  whiteboardDownloadSvg: 'Download as SVG',
  whiteboardDownloadPng: 'Download as PNG',
  whiteboardSyncing: 'Loading what others drew…',
  whiteboardUnanswered: 'Could not get the board from the others (too large to send, or held back since the meeting is no longer encrypted). What you draw is still shared.',
  whiteboardFull: 'The whiteboard is full. Erase something to draw more.',
  whiteboardHint: 'Everyone here can draw. The whiteboard vanishes when the meeting ends.',

  // polls
  polls: 'Polls',
  pollsWaiting: (count: number) => (count === 1 ? 'Polls, 1 waiting for your vote' : `Polls, ${count} waiting for your vote`),
  pollsEmpty: 'No polls yet.',
  newPoll: 'New poll',
  pollQuestion: 'Question',
  pollOption: (n: number) => `Option ${n}`,
  addOption: 'Add option',
  removeOption: (n: number) => `Remove option ${n}`,
  pollMultiple: 'Multiple choice: voters may pick several options',
  pollAnonymous: 'Anonymous: show counts only, never who voted for what',
  startPoll: 'Start poll',
  pollNotEncrypted: 'Polls are not end-to-end encrypted: the server counts the votes.',
  pollProblem: (problem: DraftProblem) => {
    switch (problem) {
      case 'question-missing':
        return 'Write a question.';
      case 'question-too-long':
        return 'The question is too long.';
      case 'too-few-options':
        return 'Give at least 2 options.';
      case 'too-many-options':
        return 'A poll has at most 10 options.';
      case 'option-too-long':
        return 'An option is too long.';
    }
  },
  pollMeta: (by: string, anonymous: boolean, multiple: boolean) => `By ${by} · ${anonymous ? 'anonymous' : 'names shown'} · ${multiple ? 'several choices' : 'one choice'}`,
  vote: 'Vote',
  closePoll: 'Close poll',
  pollClosed: 'Closed',
  pollVotes: (votes: number, percent: number) => `${votes === 1 ? '1 vote' : `${votes} votes`}, ${percent}%`,
  pollVoterCount: (count: number) => (count === 0 ? 'No votes yet' : count === 1 ? '1 person voted' : `${count} people voted`),
  pollYourChoice: 'your choice',
  pollVotedBy: (names: string) => `Voted: ${names}`,
  pollResults: (question: string) => `Results: ${question}`,
  pollNewToast: (by: string, question: string) => `${by} started a poll: ${question}`,

  // participant list
  inThisMeeting: (count: number) => `In this meeting (${count})`,
  closePanel: 'Close panel',
  micOn: 'Microphone on',
  micMuted: 'Microphone muted',
  videoPaused: 'Video paused: not enough bandwidth',
  videoPausedHint: 'Your connection cannot carry this video as well right now. It comes back when it can.',
  cameraOn: 'Camera on',
  cameraOff: 'Camera off',
  roleBadge: (role: Role) => (role === 'host' ? 'Host' : role === 'cohost' ? 'Co-host' : ''),
  actionsFor: (name: string) => `Actions for ${name}`,
  muteMic: 'Mute their microphone',
  stopCamera: 'Stop their camera',
  askUnmuteMic: 'Ask them to unmute',
  askCameraOn: 'Ask them to turn the camera on',
  makeCohost: 'Make co-host',
  makeHost: 'Make host',
  makeGuest: 'Make guest',
  handOverHosting: 'Hand over hosting',
  remove: 'Remove',
  removeAndBan: 'Remove and ban',
  muteEveryone: 'Mute everyone',
  lobbyHeading: (count: number) => `Waiting to join (${count})`,
  admit: 'Admit',
  deny: 'Deny',
  admitAll: 'Admit all',
  admitName: (name: string) => `Admit ${name}`,
  waitingEntry: (name: string) => `${name} (waiting)`,
  denyName: (name: string) => `Deny ${name}`,
  lobbyWaitingCount: (count: number) => `${count} waiting`,

  // settings panel
  settingsHeading: 'Meeting settings',
  lobbySetting: 'Lobby: hosts let guests in',
  lockSetting: 'Locked: no one new can join',
  linkSharingSetting: 'Guests may see and copy the room link',
  discoverableSetting: 'List in the public room directory',
  autoPromoteSetting: 'When the last host leaves, make the longest-present participant host',
  multipleScreenSharesSetting: 'Allow several screen shares at once',
  requireE2eeSetting: 'Require end-to-end encryption',
  requireE2eeHint: 'Apps that cannot encrypt end to end cannot join. It cannot be turned on while someone here cannot encrypt.',
  /** `cannot`: the names of those here whose apps cannot encrypt, the likely reason. */
  requireE2eeRefused: (serverWords: string, _cannot: readonly string[]) => `Not turned on: ${serverWords}`,
  whoMayJoin: 'Who may join',
  groupModeUnavailable: '— only for a room created in a group',
  joinModeLabel: (mode: JoinMode) => (mode === 'link' ? 'Anyone with the link' : mode === 'group' ? 'Members of the group' : 'Only people with a personal invite'),
  passwordSet: 'A password is set.',
  noPassword: 'No password.',
  newPassword: 'Choose one',
  setPassword: 'Set password',
  removePassword: 'Remove password',
  sizeLimit: 'Size limit (participants)',
  apply: 'Apply',
  invitesHeading: 'Personal invites',
  inviteLabel: 'Label (e.g. who it is for)',
  invitePlaceholder: 'Who it is for',
  createInvite: 'Create invite',
  inviteLinkLabel: (label: string) => (label ? `Invite link for ${label}` : 'Invite link'),
  copyInviteLink: 'Copy invite link',
  inviteShownOnce: 'Copy it now: the link is shown only once.',
  noInvites: 'No invites yet.',
  revoked: 'revoked',
  revoke: 'Revoke',
  revokeInvite: (label: string) => `Revoke invite ${label}`,
  unnamedInvite: 'Unnamed invite',
  rotateLink: 'Give the room a new link',
  rotateLinkHint:
    'The room gets a new address: the old room link, the host link and every invite link stop working. Invites stay valid under the new address, so send the people you invited the new room link with their invite (or a new invite).',
  confirmRotate: 'Give the room a new link? The old room link, host link and invite links stop working.',
  newHostLink: 'New host link',
  copyNewHostLink: 'Copy new host link',
  newHostLinkHint: 'Keep it: the old host link no longer works.',
  hostSecretNeeded: 'Open the host link in this tab to manage invites and the room link.',

  // report
  reportHeading: 'Report this room',
  reportReason: 'Reason',
  reportReasonLabel: (reason: ReportReason) =>
    reason === 'abuse' ? 'Abuse or harassment' : reason === 'spam' ? 'Spam' : reason === 'illegal-content' ? 'Illegal content' : 'Something else',
  reportDetails: 'Details (optional)',
  reportPrivacy: 'The server’s operator sees the room, the time, your reason and text, and the participants’ names — never audio, video or chat.',
  sendReport: 'Send report',
  reportSent: 'Report sent to the server’s operator',

  // directory
  directoryTitle: 'Public rooms',
  directoryLead: 'Rooms their hosts chose to list on this server.',
  directoryEmpty: 'No public rooms right now.',
  directoryLoadFailed: 'Could not load the public rooms.',
  openRoom: (title: string) => `Open ${title}`,
  untitledRoom: 'Untitled meeting',
  peopleCount: (count: number) => (count === 1 ? '1 person' : `${count} people`),
  passwordBadge: 'Password',
  lobbyBadge: 'Lobby',

  // groups
  groupTitle: 'Group',
  groupLoadFailed: 'Could not load the group.',
  groupNoAccess: 'You are not a member of this group on this device.',
  groupNoAccessHint: 'Ask the group’s admin for the member invite link.',
  joinGroupHeading: (name: string) => (name ? `Join “${name}”` : 'Join this group'),
  joinGroupLead: 'Choose the name the group will know you by. This device keeps your membership; no account needed.',
  becomeMember: 'Join the group',
  joinGroupFailed: 'Could not join the group.',
  groupRooms: 'Rooms',
  noGroupRooms: 'No rooms yet.',
  joinToCreateRooms: 'Join the group with your name above to create rooms: a room is opened with a member’s credential.',
  newGroupRoom: 'New group room',
  roomTitleLabel: 'Room title (optional)',
  members: 'Members',
  noMembers: 'No members yet.',
  removeMember: (name: string) => `Remove ${name}`,
  adminBadge: 'Admin',
  memberInviteLink: 'Member invite link',
  copyMemberInvite: 'Copy member invite link',
  rotateMemberInvite: 'New member invite link',
  rotateMemberInviteHint: 'The old member invite link stops working; members stay members.',
  adminView: 'You manage this group.',
  memberView: (name: string) => `You are a member as ${name}.`,


  // the language switch: its name reads the same in every language, so anyone can find it
  languageSwitch: 'Language / Sprache',

  /** Why a camera or microphone could not open: `errorName` is the browser's (NotAllowedError…). */
  mediaProblem: (_errorName: string, sdkWords: string) => sdkWords,
  /** Why the connection to the meeting ended, by the SDK's or server's error code. */
  endedProblem: (_code: string, words: string) => words,

  // Refusals and failures. The server's and the SDK's own words are English, so English shows them (they
  // are the most precise); every other language chooses its text by the code and what the app knows.
  refusal: (_code: RefusalCode, serverWords: string) => `Not done: ${serverWords}`,
  e2eeFailed: (sdkWords: string) => sdkWords,
  /** An HTTP API failure: `code` is the server's error code ("network" when it could not be reached). */
  apiProblem: (_code: string, serverWords: string) => serverWords,
  /** `sharer` is whoever shares a screen now (when someone else does), the likely reason for a refusal. */
  screenShareProblem: (_reason: ScreenShareFailure, sdkWords: string, _sharer: string | null) => `Screen sharing: ${sdkWords}`,

  // refused joins and ended sessions
  /** What the pre-join screen says after a refused join, and whether it asks for a password. */
  joinProblem: (code: ErrorCode | string): { message: string; askPassword: boolean } => {
    const problems: Partial<Record<string, [string, boolean]>> = {
      'password-required': ['This meeting needs a password.', true],
      'wrong-password': ['That password is not right. Try again.', true],
      'too-many-attempts': ['Too many tries. Wait a minute, then try again.', true],
      'room-locked': ['This meeting is locked. You can join once a host unlocks it.', false],
      banned: ['A host removed you from this meeting. You can’t join it again.', false],
      'not-invited': ['This meeting is for invited people only. Ask a host for your personal invite link.', false],
      'members-only': ['This meeting is for members of its group only. Ask the group’s admin for the member invite link.', false],
      'lobby-full': ['Too many people are waiting to join. Try again later.', false],
      'room-full': ['This meeting is full. Try again later.', false],
      'room-blocked': ['The server’s operator closed this room.', false],
      'e2ee-required': ['This meeting requires end-to-end encryption, and this browser cannot encrypt. Join with a current Chrome, Firefox or Safari.', false],
    };
    const found = problems[code];
    return found ? { message: found[0], askPassword: found[1] } : { message: 'Could not join the meeting. Try again.', askPassword: false };
  },
  /** The title and explanation of the screen shown when the server ended our session. */
  endedScreen: (reason: EndedReason): { title: string; detail: string } => {
    switch (reason) {
      case 'removed':
        return { title: 'You were removed from the meeting', detail: 'A host removed you. The meeting is locked for now.' };
      case 'banned':
        return { title: 'You were removed from the meeting', detail: 'A host removed you and you can’t join this meeting again.' };
      case 'meeting-ended':
        return { title: 'The meeting has ended', detail: 'A host ended the meeting for everyone.' };
      case 'denied':
        return { title: 'You were not let in', detail: 'A host declined your request to join.' };
      case 'room-closed':
        return { title: 'This room was closed', detail: 'The server’s operator closed this room.' };
    }
  },
  connectionLabels: {
    connecting: 'Connecting…',
    waiting: 'Waiting to be let in…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    disconnected: 'Disconnected',
    failed: 'Connection failed',
  } satisfies Record<ConnectionState, string> as Record<ConnectionState, string>,
};

/** Literal return types widened to `string`, so a translation may say anything but must take the same arguments. */
type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : T extends object
      ? { readonly [K in keyof T]: Widen<T[K]> }
      : T;

export type Strings = Widen<typeof en>;
