/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';

// Drawn for Treff on a 24px grid; decorative, so hidden from assistive technology (buttons carry the names).
function Icon({ children, size = 20 }: { children: ComponentChildren; size?: number }) {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width={size} height={size} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      {children}
    </svg>
  );
}

const slash = <path d="M3 3l18 18" />;

export const MicIcon = () => (
  <Icon>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" />
  </Icon>
);

export const MicOffIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.9 2.3" />
    <path d="M5.5 11a6.5 6.5 0 0 0 10.8 4.9M18.5 11c0 .7-.1 1.4-.3 2M12 17.5V21" />
    {slash}
  </Icon>
);

export const CameraIcon = () => (
  <Icon>
    <rect x="2.5" y="6" width="13.5" height="12" rx="2.5" />
    <path d="M16 10.5l5.5-3.5v10L16 13.5" />
  </Icon>
);

export const CameraOffIcon = () => (
  <Icon>
    <path d="M7 6h6.5A2.5 2.5 0 0 1 16 8.5v4M16 16.5A2.5 2.5 0 0 1 13.5 18H5a2.5 2.5 0 0 1-2.5-2.5v-7A2.5 2.5 0 0 1 4 6.2" />
    <path d="M16 10.5l5.5-3.5v10" />
    {slash}
  </Icon>
);

export const PeopleIcon = () => (
  <Icon>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
    <path d="M16 4.7a3.5 3.5 0 0 1 0 6.6M18 14.2a6.5 6.5 0 0 1 3.5 5.8" />
  </Icon>
);

export const LinkIcon = () => (
  <Icon>
    <path d="M10 14a4.2 4.2 0 0 0 6 0l3-3a4.2 4.2 0 0 0-6-6l-1 1" />
    <path d="M14 10a4.2 4.2 0 0 0-6 0l-3 3a4.2 4.2 0 0 0 6 6l1-1" />
  </Icon>
);

export const CopyIcon = () => (
  <Icon size={18}>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2" />
  </Icon>
);

export const LeaveIcon = () => (
  <Icon>
    <path d="M2.7 14.3a13.5 13.5 0 0 1 18.6 0l-1.8 2.6-3.6-1.3v-2.9a10.5 10.5 0 0 0-7.8 0v2.9l-3.6 1.3z" fill="currentColor" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="M6 6l12 12M18 6L6 18" />
  </Icon>
);

export const SpeakerIcon = () => (
  <Icon>
    <path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z" />
    <path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" />
  </Icon>
);

export const CheckIcon = () => (
  <Icon size={18}>
    <path d="M5 12.5l4.5 4.5L19 7.5" />
  </Icon>
);

export const Logo = ({ size = 28 }: { size?: number }) => (
  <svg aria-hidden="true" viewBox="0 0 64 64" width={size} height={size}>
    <rect width="64" height="64" rx="16" fill="var(--accent)" />
    <path d="M14 24a6 6 0 0 1 6-6h16a6 6 0 0 1 6 6v16a6 6 0 0 1-6 6H20a6 6 0 0 1-6-6zm30 5 8-5v16l-8-5z" fill="#fff" />
  </svg>
);

export const LockIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <rect x="5" y="10.5" width="14" height="10" rx="2" />
    <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
  </Icon>
);

export const UnlockIcon = () => (
  <Icon>
    <rect x="5" y="10.5" width="14" height="10" rx="2" />
    <path d="M8 10.5V7.5a4 4 0 0 1 7.7-1.5" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon>
    <path d="M4 7h10M18 7h2M4 17h4M12 17h8" />
    <circle cx="16" cy="7" r="2" />
    <circle cx="10" cy="17" r="2" />
  </Icon>
);

export const FlagIcon = () => (
  <Icon>
    <path d="M5 21V4M5 4h11l-2 4 2 4H5" />
  </Icon>
);

export const MoreIcon = () => (
  <Icon size={18}>
    <circle cx="5" cy="12" r="1.2" fill="currentColor" />
    <circle cx="12" cy="12" r="1.2" fill="currentColor" />
    <circle cx="19" cy="12" r="1.2" fill="currentColor" />
  </Icon>
);

export const ChatIcon = () => (
  <Icon>
    <path d="M4 5h16v11H9l-5 4z" />
  </Icon>
);

export const HandIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4.5a1.5 1.5 0 0 1 3 0V11M14 10.5V6a1.5 1.5 0 0 1 3 0v7.5c0 4-2.5 7-6.5 7-2.6 0-4.2-1.3-5.6-3.5L3 13.2a1.5 1.5 0 0 1 2.4-1.8L8 14" />
  </Icon>
);

export const SmileIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="9" />
    <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
  </Icon>
);

const shield = <path d="M12 3l7.5 3v5.5c0 4.6-3.2 8.3-7.5 9.5-4.3-1.2-7.5-4.9-7.5-9.5V6z" />;

/** End-to-end encrypted: a lock inside a shield, so it is not taken for the meeting's lock. */
export const EncryptedIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    {shield}
    <rect x="9" y="11" width="6" height="5" rx="1" />
    <path d="M10.5 11V9.5a1.5 1.5 0 0 1 3 0V11" />
  </Icon>
);

export const NotEncryptedIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    {shield}
    {slash}
  </Icon>
);

export const ScreenShareIcon = () => (
  <Icon>
    <rect x="2.5" y="4" width="19" height="13" rx="2" />
    <path d="M8 21h8M12 17v4M12 13.5V7.5M9.5 10l2.5-2.5 2.5 2.5" />
  </Icon>
);

export const PollIcon = () => (
  <Icon>
    <path d="M5 20V11M12 20V4M19 20v-6" />
  </Icon>
);

export const PlayVideoIcon = () => (
  <Icon>
    <rect x="2.5" y="4" width="19" height="16" rx="2" />
    <path d="M10 9v6l5-3z" />
  </Icon>
);

/** Breakout rooms: the meeting split into smaller rooms. */
export const BreakoutIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <rect x="3" y="3" width="8" height="8" rx="1.5" />
    <rect x="13" y="3" width="8" height="8" rx="1.5" />
    <rect x="3" y="13" width="8" height="8" rx="1.5" />
    <rect x="13" y="13" width="8" height="8" rx="1.5" />
  </Icon>
);

// notes and whiteboard
export const NotesIcon = () => (
  <Icon>
    <path d="M6 3h9l4 4v14H6z" />
    <path d="M15 3v4h4M9 12h7M9 16h5" />
  </Icon>
);

export const WhiteboardIcon = () => (
  <Icon>
    <rect x="2.5" y="4" width="19" height="13" rx="1.5" />
    <path d="M7 13c2-4 3.5-4 4.5-1.5S14.5 13 17 9M9 21l3-4 3 4" />
  </Icon>
);

export const PenIcon = ({ size = 18 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 20l1-4L16 5a2.1 2.1 0 0 1 3 3L8 19z" />
    <path d="M14 7l3 3" />
  </Icon>
);

export const EraserIcon = ({ size = 18 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M8 20h12M4.7 15.3l9.6-9.6a2 2 0 0 1 2.8 0l2.2 2.2a2 2 0 0 1 0 2.8L11 19H8.4l-3.7-3.7a1 1 0 0 1 0-1.4z" />
    <path d="M9 11l5 5" />
  </Icon>
);

export const UndoIcon = ({ size = 18 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M9 14L4 9l5-5" />
    <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
  </Icon>
);

export const RedoIcon = ({ size = 18 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M15 14l5-5-5-5" />
    <path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" />
  </Icon>
);

export const TrashIcon = ({ size = 18 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />
  </Icon>
);

export const DownloadIcon = ({ size = 18 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
  </Icon>
);

/** One large tile above a row of small ones: the speaker view. */
export const SpeakerViewIcon = () => (
  <Icon>
    <rect x="3" y="3" width="18" height="12" rx="1.5" />
    <path d="M3 19h4M10 19h4M17 19h4" />
  </Icon>
);

export const PinIcon = ({ size = 16 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M9 3h6l-1 6 3 3H7l3-3z" />
    <path d="M12 12v9" />
  </Icon>
);
