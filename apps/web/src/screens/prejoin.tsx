import { describeMediaError, getLocalMedia, getTrack, listDevices, onDevicesChanged, type DeviceLists } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../components/avatar.js';
import { CameraIcon, CameraOffIcon, Logo, MicIcon, MicOffIcon } from '../components/icons.js';
import { Video } from '../components/media.js';
import { loadName } from '../storage.js';

export interface MediaChoice {
  audio: boolean;
  video: boolean;
  audioDeviceId?: string;
  videoDeviceId?: string;
}

export interface JoinRequest {
  name: string;
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  choice: MediaChoice;
}

interface Props {
  title: string;
  participantCount: number | null;
  isHost: boolean;
  initialChoice: MediaChoice;
  onJoin(request: JoinRequest): void;
}

export function PreJoin({ title, participantCount, isHost, initialChoice, onJoin }: Props) {
  const [name, setName] = useState(loadName);
  const [choice, setChoice] = useState<MediaChoice>(initialChoice);
  const [audioTrack, setAudioTrack] = useState<MediaStreamTrack | null>(null);
  const [videoTrack, setVideoTrack] = useState<MediaStreamTrack | null>(null);
  const [devices, setDevices] = useState<DeviceLists>({ microphones: [], cameras: [], speakers: [] });
  const [problems, setProblems] = useState<{ audio?: string; video?: string }>({});
  const [starting, setStarting] = useState(true);
  // The latest tracks, for cleanup on unmount; once handed to the room they are no longer ours to stop.
  const owned = useRef<{ audio: MediaStreamTrack | null; video: MediaStreamTrack | null }>({ audio: null, video: null });

  const refreshDevices = () => listDevices().then(setDevices).catch(() => undefined);

  useEffect(() => {
    let cancelled = false;
    void getLocalMedia({ audio: true, video: initialChoice.video, audioDeviceId: initialChoice.audioDeviceId, videoDeviceId: initialChoice.videoDeviceId }).then((media) => {
      if (cancelled) {
        media.audioTrack?.stop();
        media.videoTrack?.stop();
        return;
      }
      if (media.audioTrack) media.audioTrack.enabled = initialChoice.audio;
      owned.current = { audio: media.audioTrack, video: media.videoTrack };
      setAudioTrack(media.audioTrack);
      setVideoTrack(media.videoTrack);
      setProblems({
        ...(media.errors.audio ? { audio: describeMediaError(media.errors.audio) } : {}),
        ...(media.errors.video ? { video: describeMediaError(media.errors.video) } : {}),
      });
      if (!media.audioTrack) setChoice((c) => ({ ...c, audio: false }));
      if (!media.videoTrack) setChoice((c) => ({ ...c, video: false }));
      setStarting(false);
      void refreshDevices();
    });
    const off = onDevicesChanged(() => void refreshDevices());
    return () => {
      cancelled = true;
      off();
      owned.current.audio?.stop();
      owned.current.video?.stop();
    };
  }, []);

  const setTrack = (kind: 'audio' | 'video', track: MediaStreamTrack | null) => {
    const old = owned.current[kind];
    if (old && old !== track) old.stop();
    owned.current[kind] = track;
    (kind === 'audio' ? setAudioTrack : setVideoTrack)(track);
  };

  const open = async (kind: 'audio' | 'video', deviceId?: string): Promise<MediaStreamTrack | null> => {
    try {
      const track = await getTrack(kind, deviceId);
      setProblems((p) => ({ ...p, [kind]: undefined }));
      return track;
    } catch (error) {
      setProblems((p) => ({ ...p, [kind]: describeMediaError(error instanceof Error ? error : new Error(String(error))) }));
      return null;
    }
  };

  const toggleMic = async () => {
    const on = !choice.audio;
    let track = audioTrack;
    if (on && (!track || track.readyState === 'ended')) {
      track = await open('audio', choice.audioDeviceId);
      setTrack('audio', track);
      void refreshDevices();
    }
    if (track) track.enabled = on;
    setChoice((c) => ({ ...c, audio: on && track !== null }));
  };

  const toggleCamera = async () => {
    if (choice.video) {
      // Off means off: release the camera so its light goes out.
      setTrack('video', null);
      setChoice((c) => ({ ...c, video: false }));
      return;
    }
    const track = await open('video', choice.videoDeviceId);
    setTrack('video', track);
    setChoice((c) => ({ ...c, video: track !== null }));
    void refreshDevices();
  };

  const pickMicrophone = async (deviceId: string) => {
    setChoice((c) => ({ ...c, audioDeviceId: deviceId }));
    audioTrack?.stop();
    const track = await open('audio', deviceId);
    if (track) track.enabled = choice.audio;
    setTrack('audio', track);
  };

  const pickCamera = async (deviceId: string) => {
    setChoice((c) => ({ ...c, videoDeviceId: deviceId }));
    if (!choice.video) return;
    videoTrack?.stop();
    setTrack('video', await open('video', deviceId));
  };

  const trimmed = name.replace(/\s+/g, ' ').trim();
  const join = (event: Event) => {
    event.preventDefault();
    if (!trimmed) return;
    const handed = { audio: audioTrack, video: choice.video ? videoTrack : null };
    if (!choice.video) videoTrack?.stop();
    owned.current = { audio: null, video: null };
    onJoin({ name: trimmed, audioTrack: handed.audio, videoTrack: handed.video, choice });
  };

  const currentDevice = (track: MediaStreamTrack | null, chosen?: string) => chosen ?? track?.getSettings().deviceId ?? '';

  return (
    <main class="prejoin">
      <div class="prejoin-preview">
        <div class="preview">
          {choice.video && videoTrack ? (
            <Video track={videoTrack} mirrored />
          ) : (
            <div class="preview-off">
              <Avatar name={trimmed || '?'} />
              <p>{starting ? 'Starting camera…' : 'Camera is off'}</p>
            </div>
          )}
          <div class="preview-controls">
            <button type="button" class={`round ${choice.audio ? '' : 'off'}`} aria-label={choice.audio ? 'Mute microphone' : 'Unmute microphone'} onClick={toggleMic} disabled={starting}>
              {choice.audio ? <MicIcon /> : <MicOffIcon />}
            </button>
            <button type="button" class={`round ${choice.video ? '' : 'off'}`} aria-label={choice.video ? 'Turn camera off' : 'Turn camera on'} onClick={toggleCamera} disabled={starting}>
              {choice.video ? <CameraIcon /> : <CameraOffIcon />}
            </button>
          </div>
        </div>
        <div class="devices">
          <div class="field">
            <label for="camera-select">Camera</label>
            <select id="camera-select" class="input" value={currentDevice(videoTrack, choice.videoDeviceId)} onChange={(e) => void pickCamera(e.currentTarget.value)} disabled={devices.cameras.length === 0}>
              {devices.cameras.length === 0 && <option value="">No camera found</option>}
              {devices.cameras.map((d, i) => (
                <option value={d.deviceId}>{d.label || `Camera ${i + 1}`}</option>
              ))}
            </select>
            {problems.video && <p class="hint warn">Camera: {problems.video}</p>}
          </div>
          <div class="field">
            <label for="mic-select">Microphone</label>
            <select id="mic-select" class="input" value={currentDevice(audioTrack, choice.audioDeviceId)} onChange={(e) => void pickMicrophone(e.currentTarget.value)} disabled={devices.microphones.length === 0}>
              {devices.microphones.length === 0 && <option value="">No microphone found</option>}
              {devices.microphones.map((d, i) => (
                <option value={d.deviceId}>{d.label || `Microphone ${i + 1}`}</option>
              ))}
            </select>
            {problems.audio && <p class="hint warn">Microphone: {problems.audio}</p>}
          </div>
        </div>
      </div>

      <form class="prejoin-form stack" onSubmit={join}>
        <div class="brand small">
          <Logo size={22} />
          <span>Treff</span>
        </div>
        <h1 class="prejoin-title">{title || 'Ready to join?'}</h1>
        <p class="muted">
          {participantCount === null ? '' : participantCount === 0 ? 'No one else is here yet.' : participantCount === 1 ? '1 person is in this meeting.' : `${participantCount} people are in this meeting.`}
          {isHost && <span class="badge">You are joining as host</span>}
        </p>
        <div class="field">
          <label for="display-name">Your name</label>
          <input id="display-name" class="input" type="text" autoComplete="name" maxLength={64} required placeholder="How others will see you" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <button type="submit" class="button primary large" disabled={!trimmed}>
          Join
        </button>
        <p class="hint">No account needed. Your name is remembered in this browser only.</p>
      </form>
    </main>
  );
}
