import type { MediaKind } from '@treff/protocol';

export interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

/** Browsers hide labels (and often devices) until a getUserMedia permission has been granted. */
export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  const real = all.filter((d) => d.deviceId !== '');
  return {
    microphones: real.filter((d) => d.kind === 'audioinput'),
    cameras: real.filter((d) => d.kind === 'videoinput'),
    speakers: real.filter((d) => d.kind === 'audiooutput'),
  };
}

/** Calls `callback` when devices are plugged in or out; returns an unsubscribe function. */
export function onDevicesChanged(callback: () => void): () => void {
  const media = navigator.mediaDevices;
  media.addEventListener('devicechange', callback);
  return () => media.removeEventListener('devicechange', callback);
}

export function audioConstraints(deviceId?: string): MediaTrackConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  };
}

export function videoConstraints(deviceId?: string): MediaTrackConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    width: { ideal: 1280 },
    height: { ideal: 720 },
    frameRate: { ideal: 24, max: 30 },
  };
}

/** Opens one device; rejects with the browser's DOMException (NotAllowedError, NotFoundError, …). */
export async function getTrack(kind: MediaKind, deviceId?: string): Promise<MediaStreamTrack> {
  const constraints: MediaStreamConstraints =
    kind === 'audio' ? { audio: audioConstraints(deviceId) } : { video: videoConstraints(deviceId) };
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (!track) throw new DOMException(`no ${kind} track`, 'NotFoundError');
  return track;
}

export interface LocalMediaRequest {
  audio: boolean;
  video: boolean;
  audioDeviceId?: string;
  videoDeviceId?: string;
}

export interface LocalMedia {
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /** Why a requested kind could not be opened. */
  errors: Partial<Record<MediaKind, DOMException | Error>>;
}

/**
 * Opens microphone and camera as far as possible: one getUserMedia call first (one permission
 * prompt), then each kind alone, so a missing camera or a denied microphone still leaves the other.
 */
export async function getLocalMedia(request: LocalMediaRequest): Promise<LocalMedia> {
  const result: LocalMedia = { audioTrack: null, videoTrack: null, errors: {} };
  if (!request.audio && !request.video) return result;
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    const error = new Error('this browser cannot access cameras or microphones (a secure https:// origin is required)');
    if (request.audio) result.errors.audio = error;
    if (request.video) result.errors.video = error;
    return result;
  }
  if (request.audio && request.video) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: audioConstraints(request.audioDeviceId),
        video: videoConstraints(request.videoDeviceId),
      });
      result.audioTrack = stream.getAudioTracks()[0] ?? null;
      result.videoTrack = stream.getVideoTracks()[0] ?? null;
      return result;
    } catch {
      // Fall through to trying each device on its own.
    }
  }
  if (request.audio) {
    try {
      result.audioTrack = await getTrack('audio', request.audioDeviceId);
    } catch (error) {
      result.errors.audio = asError(error);
    }
  }
  if (request.video) {
    try {
      result.videoTrack = await getTrack('video', request.videoDeviceId);
    } catch (error) {
      result.errors.video = asError(error);
    }
  }
  return result;
}

/** A person-readable reason for a getUserMedia failure. */
export function describeMediaError(error: DOMException | Error): string {
  switch (error.name) {
    case 'NotAllowedError':
      return 'Permission was denied. Allow access in the browser’s address bar.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No such device was found.';
    case 'NotReadableError':
      return 'The device is in use by another application.';
    default:
      return error.message || 'The device could not be opened.';
  }
}

function asError(error: unknown): DOMException | Error {
  return error instanceof Error || error instanceof DOMException ? error : new Error(String(error));
}
