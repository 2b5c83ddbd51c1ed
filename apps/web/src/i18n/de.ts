// German. Treff's tone is friendly, so it says "du" throughout (as Jitsi's and Zoom's German do).
// Typography: „…“ for quotes, – for dashes, … for ellipses.
import type { Strings } from './en.js';

const quoted = (s: string) => `„${s}“`;

export const de: Strings = {
  appName: 'Treff',
  gettingReady: 'Wird vorbereitet …',
  home: 'Startseite',
  goHome: 'Zur Startseite',
  cancel: 'Abbrechen',
  copy: 'Kopieren',
  copied: 'Kopiert',
  copiedToClipboard: 'In die Zwischenablage kopiert',
  you: 'Du',
  youSuffix: '(du)',
  nameWithYou: (name) => `${name} (du)`,
  meeting: 'Meeting',
  unreachable: 'Der Server ist nicht erreichbar. Prüfe deine Verbindung und versuch es noch einmal.',
  serverAnswered: (status) => `Der Server antwortete mit ${status}.`,
  pages: 'Seiten',
  previousPage: 'Vorherige Seite',
  nextPage: 'Nächste Seite',
  pageOf: (page, pages) => `Seite ${page} von ${pages}`,

  // home
  homeTitle: 'Videomeetings, die dir gehören.',
  homeLead: 'Private Videoanrufe auf deinem eigenen Server. Link teilen, Namen eingeben, schon bist du dabei – ohne Konto, ohne Tracking, ohne Zeitlimit.',
  meetingTitleLabel: 'Titel des Meetings (optional)',
  meetingTitlePlaceholder: 'z. B. Wochenrunde',
  creating: 'Wird erstellt …',
  newMeeting: 'Neues Meeting',
  createFailed: 'Das Meeting konnte nicht erstellt werden.',
  roomReadyNamed: (title) => `${quoted(title)} ist bereit`,
  roomReady: 'Dein Meeting ist bereit',
  roomLinkLabel: 'Raum-Link – zum Teilen mit Gästen',
  copyRoomLink: 'Raum-Link kopieren',
  hostLinkLabel: 'Host-Link – für dich',
  copyHostLink: 'Host-Link kopieren',
  hostLinkHint: 'Behalte den Host-Link für dich: Wer ihn öffnet, nimmt als Host teil.',
  joinAsHost: 'Als Host beitreten',
  createAnother: 'Noch eins erstellen',
  homeFootnote: 'Anrufe laufen nur über diesen Server – ohne Dritte.',
  newGroup: 'Neue Gruppe',
  meetingInstead: 'Stattdessen ein Meeting starten',
  groupNameLabel: 'Name der Gruppe',
  groupNamePlaceholder: 'z. B. Lesekreis',
  createGroup: 'Gruppe erstellen',
  groupCreateFailed: 'Die Gruppe konnte nicht erstellt werden.',
  groupReady: (name) => `${quoted(name)} ist bereit`,
  groupAdminLinkLabel: 'Admin-Link – für dich',
  copyGroupAdminLink: 'Admin-Link kopieren',
  groupAdminLinkHint: 'Behalte ihn für dich: Wer ihn öffnet, verwaltet die Gruppe.',
  groupMemberLinkLabel: 'Einladungslink für Mitglieder – zum Teilen mit Mitgliedern',
  copyGroupMemberLink: 'Einladungslink für Mitglieder kopieren',
  openGroup: 'Gruppe öffnen',
  browsePublicRooms: 'Öffentliche Räume ansehen',

  // room page
  roomNotFound: 'Diesen Meeting-Link gibt es nicht',
  roomNotFoundHint: 'Prüfe, ob du den ganzen Link hast, oder starte ein neues Meeting.',
  youLeft: 'Du hast das Meeting verlassen',
  disconnected: 'Deine Verbindung wurde getrennt',
  rejoin: 'Wieder beitreten',

  // pre-join
  startingCamera: 'Kamera startet …',
  cameraIsOff: 'Kamera ist aus',
  muteMicrophone: 'Mikrofon stummschalten',
  unmuteMicrophone: 'Mikrofon einschalten',
  turnCameraOff: 'Kamera ausschalten',
  turnCameraOn: 'Kamera einschalten',
  camera: 'Kamera',
  microphone: 'Mikrofon',
  noCamera: 'Keine Kamera gefunden',
  noMicrophone: 'Kein Mikrofon gefunden',
  cameraN: (n) => `Kamera ${n}`,
  microphoneN: (n) => `Mikrofon ${n}`,
  cameraProblem: (problem) => `Kamera: ${problem}`,
  microphoneProblem: (problem) => `Mikrofon: ${problem}`,
  readyToJoin: 'Bereit zum Beitreten?',
  peopleHere: (count) => (count === 0 ? 'Noch niemand sonst ist da.' : count === 1 ? '1 Person ist in diesem Meeting.' : `${count} Personen sind in diesem Meeting.`),
  joiningAsHost: 'Du trittst als Host bei',
  yourName: 'Dein Name',
  yourNamePlaceholder: 'So sehen dich die anderen',
  password: 'Passwort',
  passwordPlaceholder: 'Das Passwort des Meetings',
  join: 'Beitreten',
  nameRemembered: 'Kein Konto nötig. Dein Name wird nur in diesem Browser gespeichert.',
  lockedNotice: 'Dieses Meeting ist gesperrt: Niemand Neues kann beitreten, bis ein Host es entsperrt.',
  lobbyNotice: 'Nachdem du um Einlass gebeten hast, lässt dich ein Host herein.',
  groupNotice: (group) => `Dieses Meeting gehört zur Gruppe ${quoted(group)}.`,
  prejoinRequiresE2ee: 'Ein Host verlangt Ende-zu-Ende-Verschlüsselung: Der Server kann dieses Meeting weder sehen noch hören.',
  prejoinCannotEncrypt:
    'Dieser Browser kann Anrufe nicht Ende-zu-Ende verschlüsseln: Solange du im Meeting bist, ist es für niemanden Ende-zu-Ende-verschlüsselt. Ein aktueller Chrome, Firefox oder Safari kann es.',

  // lobby
  waitingForHost: 'Warte darauf, dass ein Host dich hereinlässt',
  waitingHint: (title) => (title ? `Du hast gebeten, ${quoted(title)} beizutreten. Lass diese Seite offen.` : 'Lass diese Seite offen.'),
  waitingReconnecting: 'Verbindung unterbrochen – wird wiederhergestellt. Du bittest dann erneut um Einlass, hinten in der Warteschlange.',

  // meeting
  microphoneError: (problem) => `Mikrofon: ${problem}`,
  cameraError: (problem) => `Kamera: ${problem}`,
  joinedToast: (name) => `${name} ist beigetreten`,
  leftToast: (name) => `${name} ist gegangen`,
  removedToast: (name) => `${name} wurde entfernt; das Meeting ist jetzt gesperrt`,
  lockedToast: 'Das Meeting ist jetzt gesperrt',
  reconnectingToast: 'Verbindung unterbrochen – wird wiederhergestellt …',
  roomLinkCopied: 'Raum-Link kopiert',
  copyThisLink: (link) => `Kopiere diesen Link: ${link}`,
  aloneTitle: 'Du bist allein hier',
  aloneHint: 'Teile den Raum-Link, um andere einzuladen.',
  aloneInBreakoutTitle: 'Noch niemand sonst ist in diesem Breakout-Raum',
  aloneInBreakoutHint: 'Die anderen, die mit dir eingeteilt wurden, sind vielleicht noch unterwegs; der Knopf für die Breakout-Räume zeigt, wer wo ist.',
  meetingControls: 'Steuerung des Meetings',
  participants: 'Teilnehmende',
  leave: 'Verlassen',
  leaveTitle: 'Meeting verlassen',
  endForAll: 'Meeting für alle beenden',
  confirmEndForAll: 'Das Meeting für alle beenden?',
  enableAudio: 'Klicken, um den Ton einzuschalten',
  locked: 'Gesperrt',
  lockMeeting: 'Meeting sperren',
  unlockMeeting: 'Meeting entsperren',
  lockedIndicator: 'Dieses Meeting ist gesperrt',
  settings: 'Einstellungen des Meetings',
  reportRoom: 'Diesen Raum melden',
  forceMuted: (who, kinds) => {
    const what = kinds.length === 2 ? 'Mikrofon und deine Kamera' : kinds[0] === 'video' ? 'Kamera' : 'Mikrofon';
    const article = kinds.length === 2 || kinds[0] !== 'video' ? 'dein' : 'deine';
    return who ? `${who} hat ${article} ${what} ausgeschaltet` : `Ein Host hat ${article} ${what} ausgeschaltet`;
  },
  unmuteAsk: (who, kind) => `${who ?? 'Ein Host'} bittet dich, ${kind === 'audio' ? 'dein Mikrofon' : 'deine Kamera'} einzuschalten`,
  turnOn: 'Einschalten',
  notNow: 'Nicht jetzt',
  waitingToast: (name) => `${name} wartet auf Einlass`,
  notSent: 'Konnte nicht gesendet werden: Die Verbindung ist unterbrochen. Versuch es gleich noch einmal.',
  rateLimited: 'Nicht erledigt: zu viele Anfragen. Versuch es später noch einmal.',
  actionTooLarge: 'Nicht erledigt: Das war zu groß zum Senden.',
  linkRotated: (link) =>
    link ? `Der Raum hat einen neuen Link: ${link} – der alte funktioniert nicht mehr.` : 'Der Raum hat einen neuen Link; der alte funktioniert nicht mehr.',

  // chat
  chat: 'Chat',
  chatWithUnread: (count) => `Chat, ${count} ungelesen`,
  chatEmpty: 'Noch keine Nachrichten. Sag Hallo!',
  chatTo: 'An',
  chatEveryone: 'Alle',
  chatPlaceholder: 'Schreib eine Nachricht …',
  chatPrivatePlaceholder: (name) => `Schreib privat an ${name} …`,
  chatMessageLabel: 'Nachricht',
  chatSend: 'Senden',
  chatPrivateTo: (name) => `privat an ${name}`,
  chatPrivate: 'privat an dich',
  chatYou: 'Du',
  chatSomeoneWhoLeft: 'jemanden, der gegangen ist',
  chatNewMessage: (name) => `Neue Nachricht von ${name}`,
  chatMessages: 'Nachrichten',
  chatEncrypted: 'Nachrichten sind Ende-zu-Ende-verschlüsselt',
  chatSealedBeforeJoin: 'Verschlüsselte Nachricht, gesendet bevor du beigetreten bist',
  chatSentInClear: 'nicht Ende-zu-Ende-verschlüsselt',
  exportChat: 'Chat exportieren (Markdown)',
  chatExportTitle: (title) => (title ? `Chat des Meetings ${quoted(title)}` : 'Chat dieses Meetings'),
  chatExportNote: (when) => `Exportiert am ${when}: die öffentlichen Nachrichten und deine privaten. Treff behält nach dem Meeting keinen Chat.`,
  chatEmptyExport: 'Keine Nachrichten.',
  chatExportPrivate: (who, to) => `${who}, privat an ${to}`,

  // end-to-end encryption
  e2eeOn: 'Ende-zu-Ende-verschlüsselt',
  e2eeOff: 'Nicht Ende-zu-Ende-verschlüsselt',
  e2eeOffBecause: (reason) => `Nicht Ende-zu-Ende-verschlüsselt: ${reason}`,
  e2eeBrowserCannot: 'dieser Browser kann nicht verschlüsseln',
  e2eeAppsCannot: (who, count) => (count === 1 ? `die App von ${who} kann nicht verschlüsseln` : `die Apps von ${who} können nicht verschlüsseln`),
  someone: 'jemand',
  peopleN: (n) => `${n} Personen`,
  othersN: (n) => (n === 1 ? '1 weitere Person' : `${n} weitere`),
  listOf: (parts) => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} und ${parts.at(-1)}`),
  e2eeNowOn: 'Das Meeting ist jetzt Ende-zu-Ende-verschlüsselt',
  identityChanged: (who) =>
    `Achtung: Der Sicherheitsschlüssel von ${who} hat sich während des Meetings geändert. Deine Schlüssel werden nicht mehr an diese Person gesendet, sie kann dich also weder sehen noch hören. Vielleicht hört jemand das Meeting ab: Bitte die Person, zu gehen und wieder beizutreten, und vergleicht dann eure Sicherheitscodes.`,
  e2eeNowOff: (reason) => (reason ? `Das Meeting ist nicht mehr Ende-zu-Ende-verschlüsselt: ${reason}` : 'Das Meeting ist nicht mehr Ende-zu-Ende-verschlüsselt'),
  securityHeading: 'Sicherheit dieses Meetings',
  securityClose: 'Schließen',
  securityEncrypted:
    'Ton, Video und Chat werden im Browser jeder teilnehmenden Person mit Schlüsseln verschlüsselt, die der Server nie bekommt. Der Server leitet sie weiter, kann dieses Meeting aber weder sehen noch hören und den Chat nicht lesen.',
  securityNotEncrypted:
    'Ton, Video und Chat sind nur auf dem Weg zum Server und zurück verschlüsselt, der Server könnte dieses Meeting also sehen und hören. Es wird Ende-zu-Ende-verschlüsselt, sobald die App jeder teilnehmenden Person verschlüsseln kann.',
  securityRequired: 'Ein Host verlangt Ende-zu-Ende-Verschlüsselung: Apps, die nicht verschlüsseln können, können nicht beitreten.',
  securityMetadataHeading: 'Was der Server trotzdem sieht',
  securityMetadata:
    'Wer im Meeting ist und unter welchem Namen, wann jemand beitritt und geht, wer spricht (die Lautstärke jedes Mikrofons, damit er wählen kann, wen er weiterleitet) und wie groß und wie häufig die Medienpakete sind – nie, was gesagt oder gezeigt wird.',
  securityNoRecording:
    'Eine Aufnahme oder ein Stream auf dem Server bräuchte Ton und Video, die der Server nicht sehen kann. Ein Ende-zu-Ende-verschlüsseltes Meeting kann deshalb nur eine teilnehmende Person aufnehmen.',
  keyChanges: (epoch) =>
    epoch === 0
      ? 'Dein Schlüssel hat sich nicht geändert, seit du beigetreten bist.'
      : epoch === 1
        ? 'Dein Schlüssel hat sich einmal geändert, seit du beigetreten bist.'
        : `Dein Schlüssel hat sich ${epoch}-mal geändert, seit du beigetreten bist.`,
  keyChangesWhy:
    'Er ändert sich, wenn jemand beitritt, damit diese Person nicht entschlüsseln kann, was vorher war, und wenn jemand geht, damit sie nicht entschlüsseln kann, was danach kommt.',
  safetyCodesHeading: 'Sicherheitscodes',
  safetyCodesHow:
    'Um sicherzugehen, dass niemand – nicht einmal der Server – zwischen dir und einer anderen Person sitzt, vergleiche den Code neben dem Namen der Person mit dem Code, den sie neben deinem sieht: Lest ihn euch im Anruf vor oder nutzt einen anderen Weg, dem du vertraust. Der Code ist auf beiden Seiten gleich. Weicht er ab, hört vielleicht jemand mit: Verlass das Meeting.',
  safetyCodesNew: 'Die Codes sind jedes Mal neu, wenn jemand die Meeting-Seite öffnet oder neu lädt.',
  safetyCodeFor: (name) => `Sicherheitscode mit ${name}`,
  safetyCodeNone: 'Kein Code: Ihre App kann nicht verschlüsseln',
  safetyCodeLoading: 'Wird berechnet …',
  safetyCodesUnsupported: 'Dieser Browser kann nicht Ende-zu-Ende verschlüsseln, daher gibt es keine Sicherheitscodes zum Vergleichen.',
  safetyCodesAlone: 'Noch niemand sonst ist da.',
  verifySecurityCode: 'Sicherheitscode prüfen',
  cannotEncrypt: 'Diese App kann nicht Ende-zu-Ende verschlüsseln',
  selfCannotEncrypt: 'Dieser Browser kann nicht Ende-zu-Ende verschlüsseln',

  // hands and reactions
  raiseHand: 'Hand heben',
  lowerYourHand: 'Deine Hand senken',
  lowerHand: 'Hand senken',
  lowerHandOf: (name) => `Hand von ${name} senken`,
  handRaised: (position) => `Hand gehoben, ${position === 1 ? 'als Erste' : `Nummer ${position}`} in der Reihe`,
  handRaisedToast: (name) => `${name} hat die Hand gehoben`,
  reactions: 'Reaktionen',
  reactWith: (emoji) => `Mit ${emoji} reagieren`,
  reactedLabel: (emoji) => `Reaktion ${emoji}`,

  // screen sharing
  shareScreen: 'Bildschirm teilen',
  stopSharing: 'Teilen beenden',
  screenOf: (name) => `Bildschirm von ${name}`,
  yourScreen: 'Dein Bildschirm',
  screenShareStoppedBy: (who) => `${who ?? 'Ein Host'} hat deine Bildschirmfreigabe beendet`,
  screenShareStartedToast: (name) => `${name} teilt den Bildschirm`,
  stopScreenShare: 'Bildschirmfreigabe beenden',
  screenShares: 'Bildschirmfreigaben',
  showScreenOf: (name) => `Bildschirm von ${name} zeigen`,
  cameras: 'Kameras',
  speakerView: 'Sprecheransicht',
  pinTile: (name: string) => `${name} anheften`,
  unpinTile: (name: string) => `${name} lösen`,
  sharingScreen: 'Teilt den Bildschirm',

  // shared video
  shareVideo: 'Video teilen',
  videoUrl: 'Adresse einer Videodatei',
  videoUrlPrivacy:
    'Ein direkter Link auf eine Videodatei (MP4, WebM oder Ogg), keine Seite wie YouTube. Jeder Browser hier lädt das Video selbst von dieser Adresse, die Seite sieht also jede und jeden von euch. Der Server sieht die Adresse: Sie ist nicht Ende-zu-Ende-verschlüsselt.',
  videoUrlInvalid: 'Gib eine Adresse ein, die mit http:// oder https:// beginnt.',
  playForEveryone: 'Für alle abspielen',
  sharedVideo: 'Geteiltes Video',
  stopVideo: 'Video beenden',
  unmuteVideo: 'Videoton einschalten',
  videoUnavailable: 'Das Video konnte nicht von seiner Adresse geladen werden.',

  // breakout rooms
  breakoutRooms: 'Breakout-Räume',
  breakoutsNoneOpen: 'Es sind keine Breakout-Räume geöffnet.',
  breakoutsHowTo: 'Teile das Meeting eine Weile in kleinere Räume auf. Wer dort ist, sieht, hört und schreibt nur mit den anderen im selben Raum, und alle kommen zurück, sobald du die Räume schließt.',
  breakoutRoomCount: 'Anzahl der Räume',
  breakoutRoomName: (n) => `Name von Raum ${n}`,
  breakoutDefaultName: (n) => `Raum ${n}`,
  breakoutAssignment: 'Wer wohin kommt',
  breakoutAssignManual: 'Ich teile die Leute selbst ein',
  breakoutAssignRandom: 'Alle zufällig auf die Räume verteilen',
  breakoutTimer: 'Zeitlimit in Minuten (leer lassen für keines)',
  breakoutSelfSelect: 'Teilnehmende dürfen selbst einen Raum wählen',
  openBreakouts: 'Breakout-Räume öffnen',
  breakoutProblem: (problem) => {
    switch (problem) {
      case 'no-rooms':
        return 'Öffne mindestens einen Raum.';
      case 'too-many-rooms':
        return 'Das sind zu viele Räume.';
      case 'name-missing':
        return 'Gib jedem Raum einen Namen.';
      case 'name-too-long':
        return 'Ein Raumname ist zu lang.';
      case 'assign-invalid':
        return 'Wähle, wie die Leute auf die Räume kommen.';
      case 'minutes-invalid':
        return 'Gib das Zeitlimit in ganzen Minuten an oder lass das Feld leer.';
    }
  },
  breakoutMainRoom: 'Hauptraum',
  breakoutPeopleCount: (count) => (count === 1 ? '1 Person' : `${count} Personen`),
  breakoutNobody: 'Noch niemand hier',
  breakoutMoveTo: (name) => `Raum für ${name}`,
  breakoutJoin: 'Beitreten',
  breakoutJoinRoom: (room) => `${room} beitreten`,
  breakoutYouAreHere: 'Du bist hier',
  breakoutReturn: 'Zurück in den Hauptraum',
  breakoutGuestHint: 'Wähle einen Raum oder bleib, wo du bist.',
  breakoutBroadcastLabel: 'Nachricht an alle Räume',
  breakoutBroadcastSend: 'An alle Räume senden',
  closeBreakouts: 'Alle Räume schließen',
  confirmCloseBreakouts: 'Alle Breakout-Räume schließen und alle in den Hauptraum zurückholen?',
  breakoutCloseYes: 'Ja, alle Räume schließen',
  breakoutTimeLeft: (time) => `noch ${time}`,
  breakoutBadge: (room) => `Dein Raum: ${room}`,
  breakoutMovedTo: (room) => `Du bist jetzt im Breakout-Raum ${room}.`,
  breakoutBackInMain: 'Du bist wieder im Hauptraum.',
  breakoutBroadcastFrom: (name) => `${name} an alle Räume`,
  breakoutDismiss: 'Nachricht ausblenden',
  chatEveryoneInRoom: (room) => `Alle in ${room}`,
  chatEveryoneInMainRoom: 'Alle im Hauptraum',

  // notes and whiteboard
  notes: 'Notizen',
  notesChanged: 'Notizen (von anderen geändert)',
  notesLabel: 'Gemeinsame Notizen',
  notesPlaceholder: 'Notizen, die alle hier bearbeiten können. Markdown geht: # Überschrift, - Liste, **fett**.',
  notesSaved: 'Bei allen gespeichert',
  notesSyncing: 'Wird abgeglichen…',
  notesUnanswered: 'Die Notizen kamen von den anderen nicht an (zu groß zum Senden oder zurückgehalten, weil das Meeting nicht mehr verschlüsselt ist). Was du schreibst, wird trotzdem geteilt.',
  notesOffline: 'Offline: Deine Änderungen gehen raus, sobald du wieder verbunden bist',
  notesFull: 'Die Notizen sind voll. Lösche etwas Text, um mehr zu schreiben.',
  notesEncryptedHint: 'Die Notizen sind Ende-zu-Ende-verschlüsselt und liegen nur in den Browsern der Leute hier. Sie verschwinden, wenn das Meeting endet: Lade sie herunter, um sie zu behalten.',
  notesClearHint: 'Die Notizen sind gerade nicht Ende-zu-Ende-verschlüsselt. Sie liegen nur in den Browsern der Leute hier und verschwinden, wenn das Meeting endet: Lade sie herunter, um sie zu behalten.',
  notesDownload: 'Als Markdown herunterladen',
  whiteboard: 'Tafel',
  whiteboardChanged: 'Tafel (von anderen geändert)',
  whiteboardTools: 'Werkzeuge der Tafel',
  whiteboardBoard: (strokes) => (strokes === 1 ? 'Tafel, 1 Strich' : `Tafel, ${strokes} Striche`),
  whiteboardPen: 'Stift',
  whiteboardEraser: 'Radierer',
  whiteboardColors: 'Stiftfarbe',
  whiteboardColorNames: ['Schwarz', 'Rot', 'Orange', 'Grün', 'Blau', 'Lila'],
  whiteboardWidths: 'Strichstärke',
  whiteboardWidthNames: ['Dünn', 'Mittel', 'Dick'],
  whiteboardUndo: 'Rückgängig',
  whiteboardRedo: 'Wiederholen',
  whiteboardUndoShortcut: 'Deinen letzten Strich rückgängig machen (Strg+Z)',
  whiteboardRedoShortcut: 'Wiederholen (Strg+Umschalt+Z)',
  whiteboardClear: 'Tafel leeren',
  whiteboardConfirmClear: 'Die Tafel für alle leeren? Das lässt sich nicht rückgängig machen.',
  whiteboardDownloadSvg: 'Als SVG herunterladen',
  whiteboardDownloadPng: 'Als PNG herunterladen',
  whiteboardSyncing: 'Lade, was andere gezeichnet haben…',
  whiteboardUnanswered: 'Die Tafel kam von den anderen nicht an (zu groß zum Senden oder zurückgehalten, weil das Meeting nicht mehr verschlüsselt ist). Was du zeichnest, wird trotzdem geteilt.',
  whiteboardFull: 'Die Tafel ist voll. Radiere etwas weg, um mehr zu zeichnen.',
  whiteboardHint: 'Alle hier können zeichnen. Die Tafel verschwindet, wenn das Meeting endet.',

  // polls
  polls: 'Umfragen',
  pollsWaiting: (count) => (count === 1 ? 'Umfragen, 1 wartet auf deine Stimme' : `Umfragen, ${count} warten auf deine Stimme`),
  pollsEmpty: 'Noch keine Umfragen.',
  newPoll: 'Neue Umfrage',
  pollQuestion: 'Frage',
  pollOption: (n) => `Antwort ${n}`,
  addOption: 'Antwort hinzufügen',
  removeOption: (n) => `Antwort ${n} entfernen`,
  pollMultiple: 'Mehrfachauswahl: Man darf mehrere Antworten wählen',
  pollAnonymous: 'Anonym: nur die Anzahl zeigen, nie, wer wofür gestimmt hat',
  startPoll: 'Umfrage starten',
  pollNotEncrypted: 'Umfragen sind nicht Ende-zu-Ende-verschlüsselt: Der Server zählt die Stimmen.',
  pollProblem: (problem) => {
    switch (problem) {
      case 'question-missing':
        return 'Schreib eine Frage.';
      case 'question-too-long':
        return 'Die Frage ist zu lang.';
      case 'too-few-options':
        return 'Gib mindestens 2 Antworten an.';
      case 'too-many-options':
        return 'Eine Umfrage hat höchstens 10 Antworten.';
      case 'option-too-long':
        return 'Eine Antwort ist zu lang.';
    }
  },
  pollMeta: (by, anonymous, multiple) => `Von ${by} · ${anonymous ? 'anonym' : 'mit Namen'} · ${multiple ? 'mehrere Antworten' : 'eine Antwort'}`,
  vote: 'Abstimmen',
  closePoll: 'Umfrage beenden',
  pollClosed: 'Beendet',
  pollVotes: (votes, percent) => `${votes === 1 ? '1 Stimme' : `${votes} Stimmen`}, ${percent} %`,
  pollVoterCount: (count) => (count === 0 ? 'Noch keine Stimmen' : count === 1 ? '1 Person hat abgestimmt' : `${count} Personen haben abgestimmt`),
  pollYourChoice: 'deine Wahl',
  pollVotedBy: (names) => `Gewählt von: ${names}`,
  pollResults: (question) => `Ergebnisse: ${question}`,
  pollNewToast: (by, question) => `${by} hat eine Umfrage gestartet: ${question}`,

  // participant list
  inThisMeeting: (count) => `In diesem Meeting (${count})`,
  closePanel: 'Bereich schließen',
  micOn: 'Mikrofon an',
  micMuted: 'Mikrofon stumm',
  videoPaused: 'Video pausiert: zu wenig Bandbreite',
  videoPausedHint: 'Deine Verbindung trägt dieses Video gerade nicht zusätzlich. Es kommt zurück, sobald sie es kann.',
  cameraOn: 'Kamera an',
  cameraOff: 'Kamera aus',
  roleBadge: (role) => (role === 'host' ? 'Host' : role === 'cohost' ? 'Co-Host' : ''),
  actionsFor: (name) => `Aktionen für ${name}`,
  muteMic: 'Mikrofon stummschalten',
  stopCamera: 'Kamera ausschalten',
  askUnmuteMic: 'Bitten, das Mikrofon einzuschalten',
  askCameraOn: 'Bitten, die Kamera einzuschalten',
  makeCohost: 'Zum Co-Host machen',
  makeHost: 'Zum Host machen',
  makeGuest: 'Zum Gast machen',
  handOverHosting: 'Host-Rolle übergeben',
  remove: 'Entfernen',
  removeAndBan: 'Entfernen und sperren',
  muteEveryone: 'Alle stummschalten',
  lobbyHeading: (count) => `Warten auf Einlass (${count})`,
  admit: 'Einlassen',
  deny: 'Ablehnen',
  admitAll: 'Alle einlassen',
  admitName: (name) => `${name} einlassen`,
  waitingEntry: (name) => `${name} (wartet)`,
  denyName: (name) => `${name} ablehnen`,
  lobbyWaitingCount: (count) => (count === 1 ? '1 wartet' : `${count} warten`),

  // settings panel
  settingsHeading: 'Einstellungen des Meetings',
  lobbySetting: 'Warteraum: Hosts lassen Gäste herein',
  lockSetting: 'Gesperrt: Niemand Neues kann beitreten',
  linkSharingSetting: 'Gäste dürfen den Raum-Link sehen und kopieren',
  discoverableSetting: 'Im öffentlichen Raumverzeichnis anzeigen',
  autoPromoteSetting: 'Wenn der letzte Host geht, wird die am längsten anwesende Person Host',
  multipleScreenSharesSetting: 'Mehrere Bildschirmfreigaben gleichzeitig erlauben',
  requireE2eeSetting: 'Ende-zu-Ende-Verschlüsselung verlangen',
  requireE2eeHint:
    'Apps, die nicht Ende-zu-Ende verschlüsseln können, können nicht beitreten. Solange hier jemand nicht verschlüsseln kann, lässt es sich nicht einschalten.',
  requireE2eeRefused: (_serverWords, cannot) =>
    cannot.length === 0
      ? 'Nicht eingeschaltet: Das geht erst, wenn alle Anwesenden Ende-zu-Ende verschlüsseln können.'
      : `Nicht eingeschaltet: ${de.listOf(cannot)} ${cannot.length === 1 ? 'kann' : 'können'} nicht Ende-zu-Ende verschlüsseln. Es lässt sich einschalten, sobald alle Anwesenden es können.`,
  whoMayJoin: 'Wer beitreten darf',
  groupModeUnavailable: '– nur für einen Raum, der in einer Gruppe erstellt wurde',
  joinModeLabel: (mode) => (mode === 'link' ? 'Alle mit dem Link' : mode === 'group' ? 'Mitglieder der Gruppe' : 'Nur Personen mit persönlicher Einladung'),
  passwordSet: 'Ein Passwort ist gesetzt.',
  noPassword: 'Kein Passwort.',
  newPassword: 'Wähle eins',
  setPassword: 'Passwort setzen',
  removePassword: 'Passwort entfernen',
  sizeLimit: 'Höchstzahl (Teilnehmende)',
  apply: 'Übernehmen',
  invitesHeading: 'Persönliche Einladungen',
  inviteLabel: 'Bezeichnung (z. B. für wen sie ist)',
  invitePlaceholder: 'Für wen sie ist',
  createInvite: 'Einladung erstellen',
  inviteLinkLabel: (label) => (label ? `Einladungslink für ${label}` : 'Einladungslink'),
  copyInviteLink: 'Einladungslink kopieren',
  inviteShownOnce: 'Kopier ihn jetzt: Der Link wird nur einmal angezeigt.',
  noInvites: 'Noch keine Einladungen.',
  revoked: 'widerrufen',
  revoke: 'Widerrufen',
  revokeInvite: (label) => `Einladung ${label} widerrufen`,
  unnamedInvite: 'Einladung ohne Namen',
  rotateLink: 'Dem Raum einen neuen Link geben',
  rotateLinkHint:
    'Der Raum bekommt eine neue Adresse: Der alte Raum-Link, der Host-Link und alle Einladungslinks funktionieren nicht mehr. Einladungen bleiben unter der neuen Adresse gültig – schick den Eingeladenen also den neuen Raum-Link mit ihrer Einladung (oder eine neue Einladung).',
  confirmRotate: 'Dem Raum einen neuen Link geben? Der alte Raum-Link, der Host-Link und die Einladungslinks funktionieren dann nicht mehr.',
  newHostLink: 'Neuer Host-Link',
  copyNewHostLink: 'Neuen Host-Link kopieren',
  newHostLinkHint: 'Bewahre ihn auf: Der alte Host-Link funktioniert nicht mehr.',
  hostSecretNeeded: 'Öffne den Host-Link in diesem Tab, um Einladungen und den Raum-Link zu verwalten.',

  // report
  reportHeading: 'Diesen Raum melden',
  reportReason: 'Grund',
  reportReasonLabel: (reason) =>
    reason === 'abuse' ? 'Missbrauch oder Belästigung' : reason === 'spam' ? 'Spam' : reason === 'illegal-content' ? 'Illegale Inhalte' : 'Etwas anderes',
  reportDetails: 'Details (optional)',
  reportPrivacy: 'Wer den Server betreibt, sieht den Raum, die Uhrzeit, deinen Grund und Text und die Namen der Teilnehmenden – nie Ton, Video oder Chat.',
  sendReport: 'Meldung senden',
  reportSent: 'Meldung an den Betreiber des Servers gesendet',

  // directory
  directoryTitle: 'Öffentliche Räume',
  directoryLead: 'Räume, die ihre Hosts auf diesem Server anzeigen lassen.',
  directoryEmpty: 'Gerade gibt es keine öffentlichen Räume.',
  directoryLoadFailed: 'Die öffentlichen Räume konnten nicht geladen werden.',
  openRoom: (title) => `${title} öffnen`,
  untitledRoom: 'Meeting ohne Titel',
  peopleCount: (count) => (count === 1 ? '1 Person' : `${count} Personen`),
  passwordBadge: 'Passwort',
  lobbyBadge: 'Warteraum',

  // groups
  groupTitle: 'Gruppe',
  groupLoadFailed: 'Die Gruppe konnte nicht geladen werden.',
  groupNoAccess: 'Auf diesem Gerät bist du kein Mitglied dieser Gruppe.',
  groupNoAccessHint: 'Bitte die Admins der Gruppe um den Einladungslink für Mitglieder.',
  joinGroupHeading: (name) => (name ? `${quoted(name)} beitreten` : 'Dieser Gruppe beitreten'),
  joinGroupLead: 'Wähle den Namen, unter dem die Gruppe dich kennt. Dieses Gerät merkt sich deine Mitgliedschaft; kein Konto nötig.',
  becomeMember: 'Der Gruppe beitreten',
  joinGroupFailed: 'Du konntest der Gruppe nicht beitreten.',
  groupRooms: 'Räume',
  noGroupRooms: 'Noch keine Räume.',
  joinToCreateRooms: 'Tritt der Gruppe oben mit deinem Namen bei, um Räume zu erstellen: Ein Raum wird mit dem Zugang eines Mitglieds eröffnet.',
  newGroupRoom: 'Neuer Gruppenraum',
  roomTitleLabel: 'Titel des Raums (optional)',
  members: 'Mitglieder',
  noMembers: 'Noch keine Mitglieder.',
  removeMember: (name) => `${name} entfernen`,
  adminBadge: 'Admin',
  memberInviteLink: 'Einladungslink für Mitglieder',
  copyMemberInvite: 'Einladungslink für Mitglieder kopieren',
  rotateMemberInvite: 'Neuer Einladungslink für Mitglieder',
  rotateMemberInviteHint: 'Der alte Einladungslink für Mitglieder funktioniert nicht mehr; Mitglieder bleiben Mitglieder.',
  adminView: 'Du verwaltest diese Gruppe.',
  memberView: (name) => `Du bist Mitglied als ${name}.`,

  languageSwitch: 'Language / Sprache',

  endedProblem: (code, words) => {
    switch (code) {
      case 'signaling-unreachable':
        return 'Der Server ist nicht erreichbar. Prüfe deine Verbindung.';
      case 'resume-failed':
      case 'ice-failed':
      case 'negotiation-failed':
      case 'media-failed':
        return 'Die Verbindung ließ sich nicht wiederherstellen.';
      case 'unsupported-version':
        return 'Diese Seite ist veraltet. Lade sie neu.';
      case 'internal':
        return 'Auf dem Server ist ein Fehler aufgetreten.';
      case 'bad-message':
      case 'invalid-message':
        return 'Der Server und diese Seite haben sich nicht verstanden. Lade die Seite neu.';
      case 'rate-limited':
        return 'Zu viele Anfragen. Versuch es später noch einmal.';
      default:
        return words;
    }
  },
  mediaProblem: (errorName) => {
    switch (errorName) {
      case 'NotAllowedError':
        return 'Der Zugriff wurde verweigert. Erlaube ihn in der Adressleiste des Browsers.';
      case 'NotFoundError':
      case 'OverconstrainedError':
        return 'Dieses Gerät wurde nicht gefunden.';
      case 'NotReadableError':
        return 'Das Gerät wird gerade von einer anderen Anwendung benutzt.';
      default:
        return 'Das Gerät ließ sich nicht öffnen.';
    }
  },

  refusal: (code) => {
    switch (code) {
      case 'forbidden':
        return 'Nicht erledigt: Deine Rolle erlaubt das nicht.';
      case 'not-found':
        return 'Nicht erledigt: Diese Person oder Umfrage ist nicht mehr da.';
      case 'wrong-state':
        return 'Nicht erledigt: Du bist nicht mehr in diesem Meeting.';
      case 'bad-request':
        return 'Nicht erledigt: Das geht gerade nicht.';
    }
  },
  e2eeFailed: () => 'Die Ende-zu-Ende-Verschlüsselung hat nicht geklappt. Lade die Seite neu, wenn Ton, Video oder Chat nicht mehr funktionieren.',
  apiProblem: (code, serverWords) => {
    switch (code) {
      case 'network':
        return 'Der Server ist nicht erreichbar. Prüfe deine Verbindung und versuch es noch einmal.';
      case 'bad-request':
        return 'Der Server hat die Angaben nicht angenommen. Prüfe sie und versuch es noch einmal.';
      case 'forbidden':
        return 'Dafür fehlt dir die Berechtigung.';
      case 'not-found':
        return 'Das gibt es nicht (mehr).';
      case 'room-not-found':
        return 'Dieses Meeting gibt es nicht.';
      case 'group-not-found':
        return 'Diese Gruppe gibt es nicht.';
      case 'rate-limited':
        return 'Zu viele Anfragen. Versuch es später noch einmal.';
      case 'http':
        return 'Der Server hat mit einem Fehler geantwortet. Versuch es noch einmal.';
      default:
        return serverWords;
    }
  },
  screenShareProblem: (reason, _sdkWords, sharer) => {
    switch (reason) {
      case 'refused':
        return sharer
          ? `Bildschirm teilen: ${sharer} teilt gerade den Bildschirm; in diesem Meeting kann immer nur eine Person teilen`
          : 'Bildschirm teilen: Der Server hat es abgelehnt.';
      case 'unavailable':
        return 'Bildschirm teilen: Dieser Browser kann hier keinen Bildschirm teilen.';
      case 'not-connected':
        return 'Bildschirm teilen: nicht mit dem Meeting verbunden; versuch es noch einmal.';
      case 'cancelled':
      case 'stopped':
        return 'Bildschirm teilen: abgebrochen.';
    }
  },

  joinProblem: (code) => {
    const problems: Partial<Record<string, [string, boolean]>> = {
      'password-required': ['Dieses Meeting braucht ein Passwort.', true],
      'wrong-password': ['Das Passwort stimmt nicht. Versuch es noch einmal.', true],
      'too-many-attempts': ['Zu viele Versuche. Warte eine Minute und versuch es dann noch einmal.', true],
      'room-locked': ['Dieses Meeting ist gesperrt. Du kannst beitreten, sobald ein Host es entsperrt.', false],
      banned: ['Ein Host hat dich aus diesem Meeting entfernt. Du kannst nicht wieder beitreten.', false],
      'not-invited': ['Dieses Meeting ist nur für Eingeladene. Bitte einen Host um deinen persönlichen Einladungslink.', false],
      'members-only': ['Dieses Meeting ist nur für Mitglieder seiner Gruppe. Bitte die Admins der Gruppe um den Einladungslink für Mitglieder.', false],
      'lobby-full': ['Zu viele Personen warten auf Einlass. Versuch es später noch einmal.', false],
      'room-full': ['Dieses Meeting ist voll. Versuch es später noch einmal.', false],
      'room-blocked': ['Der Betreiber des Servers hat diesen Raum geschlossen.', false],
      'e2ee-required': [
        'Dieses Meeting verlangt Ende-zu-Ende-Verschlüsselung, und dieser Browser kann nicht verschlüsseln. Tritt mit einem aktuellen Chrome, Firefox oder Safari bei.',
        false,
      ],
    };
    const found = problems[code];
    return found ? { message: found[0], askPassword: found[1] } : { message: 'Beitreten hat nicht geklappt. Versuch es noch einmal.', askPassword: false };
  },
  endedScreen: (reason) => {
    switch (reason) {
      case 'removed':
        return { title: 'Du wurdest aus dem Meeting entfernt', detail: 'Ein Host hat dich entfernt. Das Meeting ist vorerst gesperrt.' };
      case 'banned':
        return { title: 'Du wurdest aus dem Meeting entfernt', detail: 'Ein Host hat dich entfernt, und du kannst diesem Meeting nicht wieder beitreten.' };
      case 'meeting-ended':
        return { title: 'Das Meeting ist beendet', detail: 'Ein Host hat das Meeting für alle beendet.' };
      case 'denied':
        return { title: 'Du wurdest nicht hereingelassen', detail: 'Ein Host hat deine Bitte um Einlass abgelehnt.' };
      case 'room-closed':
        return { title: 'Dieser Raum wurde geschlossen', detail: 'Der Betreiber des Servers hat diesen Raum geschlossen.' };
    }
  },
  connectionLabels: {
    connecting: 'Verbindung wird hergestellt …',
    waiting: 'Warte auf Einlass …',
    connected: 'Verbunden',
    reconnecting: 'Verbindung wird wiederhergestellt …',
    disconnected: 'Getrennt',
    failed: 'Verbindung fehlgeschlagen',
  },
};
