// The few browser-side shapes the page functions touch. The test tsconfig has no DOM lib (it is shared with
// the Node server code), so page functions reach the DOM through these structural types instead.

export interface PageTrack {
  readonly kind: string;
  readonly id: string;
  readonly readyState: string;
}

export interface PageMediaStream {
  getTracks(): PageTrack[];
}

export interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): { width: number; height: number };
}

export interface PageMediaElement extends PageElement {
  readonly videoWidth?: number;
  readonly videoHeight?: number;
  readonly paused: boolean;
  readonly srcObject: PageMediaStream | null;
}

/** One entry of an RTCStatsReport, as far as the tests read it. */
export interface PageStat {
  readonly type: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

export interface PageStatsReport {
  forEach(callback: (stat: PageStat) => void): void;
}

/** A remote participant as the client SDK's Room lists it. */
export interface PageRemoteParticipant {
  readonly id: string;
  readonly name: string;
  readonly audioTrack: PageTrack | null;
  readonly videoTrack: PageTrack | null;
}

/** The client SDK's Room, as far as the tests read it. */
export interface PageRoom {
  getStats(): Promise<PageStatsReport>;
  readonly participants?: { values(): Iterable<PageRemoteParticipant> };
  readonly connectionState?: string;
  /** The tiles the app last subscribed to (null before it did). */
  readonly videoSubscriptions?: readonly { participantId: string; width: number; height: number }[] | null;
}

/** What the web app exposes on `window.treff` (the SDK room). */
export interface PageTreff {
  readonly room?: PageRoom | null;
}

export interface PageGlobals {
  readonly treff?: PageTreff;
  readonly document: { readonly title: string; readonly body: PageElement | null };
  readonly location: { readonly href: string };
}
