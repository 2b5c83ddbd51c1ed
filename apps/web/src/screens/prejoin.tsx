import { detectE2eeCapability, getLocalMedia, getTrack, listDevices, onDevicesChanged, type DeviceLists } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../components/avatar.js';
import { CameraIcon, CameraOffIcon, Logo, MicIcon, MicOffIcon } from '../components/icons.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { Video } from '../components/media.js';
import type { RoomSummary } from '@treff/protocol';
import { loadName } from '../storage.js';
import { mediaProblem } from '../media-problem.js';
import { joinProblem, text } from '../strings.js';
import { blockedByLock } from '../lock-gate.js';

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
  /** Empty when the room has none (or the joiner is a host). */
  password: string;
}

interface Props {
  title: string;
  summary: RoomSummary | null;
  isHost: boolean;
  /** Holds a host link or the room's group admin credential: the lock does not keep them out. */
  canPassLock: boolean;
  initialName: string;
  initialChoice: MediaChoice;
  /** Why the last join was refused, shown above the Join button; the person can change something and retry. */
  problem: string | undefined;
  askPassword: boolean;
  onJoin(request: JoinRequest): void;
}

/** A feature test, no waiting: the join itself is not held up by it. */
const canEncrypt = detectE2eeCapability() !== null;

export function PreJoin({ title, summary, isHost, canPassLock, initialName, initialChoice, problem, askPassword, onJoin }: Props) {
  const participantCount = summary?.participantCount ?? null;
  const [name, setName] = useState(() => initialName || loadName());
  const [password, setPassword] = useState('');
  const [choice, setChoice] = useState<MediaChoice>(initialChoice);
  const [audioTrack, setAudioTrack] = useState<MediaStreamTrack | null>(null);
  const [videoTrack, setVideoTrack] = useState<MediaStreamTrack | null>(null);
  const [devices, setDevices] = useState<DeviceLists>({ microphones: [], cameras: [], speakers: [] });
  // The errors, not their words, so a language switch rewords them.
  const [problems, setProblems] = useState<{ audio?: unknown; video?: unknown }>({});
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
        ...(media.errors.audio ? { audio: media.errors.audio } : {}),
        ...(media.errors.video ? { video: media.errors.video } : {}),
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
      setProblems((p) => ({ ...p, [kind]: error }));
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
    onJoin({ name: trimmed, audioTrack: handed.audio, videoTrack: handed.video, choice, password: askPassword ? password : '' });
  };

  // The server would refuse this browser (e2ee-required): say so now, and keep Join off.
  const refusedE2ee = summary?.requireE2ee === true && !canEncrypt;
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
              <p>{starting ? text.startingCamera : text.cameraIsOff}</p>
            </div>
          )}
          <div class="preview-controls">
            <button type="button" class={`round ${choice.audio ? '' : 'off'}`} aria-label={choice.audio ? text.muteMicrophone : text.unmuteMicrophone} onClick={toggleMic} disabled={starting}>
              {choice.audio ? <MicIcon /> : <MicOffIcon />}
            </button>
            <button type="button" class={`round ${choice.video ? '' : 'off'}`} aria-label={choice.video ? text.turnCameraOff : text.turnCameraOn} onClick={toggleCamera} disabled={starting}>
              {choice.video ? <CameraIcon /> : <CameraOffIcon />}
            </button>
          </div>
        </div>
        <div class="devices">
          <div class="field">
            <label for="camera-select">{text.camera}</label>
            <select id="camera-select" class="input" value={currentDevice(videoTrack, choice.videoDeviceId)} onChange={(e) => void pickCamera(e.currentTarget.value)} disabled={devices.cameras.length === 0}>
              {devices.cameras.length === 0 && <option value="">{text.noCamera}</option>}
              {devices.cameras.map((d, i) => (
                <option value={d.deviceId}>{d.label || text.cameraN(i + 1)}</option>
              ))}
            </select>
            {problems.video !== undefined && <p class="hint warn">{text.cameraProblem(mediaProblem(problems.video))}</p>}
          </div>
          <div class="field">
            <label for="mic-select">{text.microphone}</label>
            <select id="mic-select" class="input" value={currentDevice(audioTrack, choice.audioDeviceId)} onChange={(e) => void pickMicrophone(e.currentTarget.value)} disabled={devices.microphones.length === 0}>
              {devices.microphones.length === 0 && <option value="">{text.noMicrophone}</option>}
              {devices.microphones.map((d, i) => (
                <option value={d.deviceId}>{d.label || text.microphoneN(i + 1)}</option>
              ))}
            </select>
            {problems.audio !== undefined && <p class="hint warn">{text.microphoneProblem(mediaProblem(problems.audio))}</p>}
          </div>
        </div>
      </div>

      <form class="prejoin-form stack" onSubmit={join}>
        <div class="brand-row">
          <div class="brand small">
            <Logo size={22} />
            <span>{text.appName}</span>
          </div>
          <LanguageSwitch />
        </div>
        <h1 class="prejoin-title">{title || text.readyToJoin}</h1>
        <p class="muted">
          {participantCount === null ? '' : text.peopleHere(participantCount)}
          {isHost && <span class="badge">{text.joiningAsHost}</span>}
        </p>
        {summary?.groupName && <p class="hint">{text.groupNotice(summary.groupName)}</p>}
        {summary?.locked && !isHost && !problem && <p class="notice">{text.lockedNotice}</p>}
        {summary?.lobby && !summary.locked && !isHost && <p class="hint">{text.lobbyNotice}</p>}
        {summary?.requireE2ee && canEncrypt && <p class="hint">{text.prejoinRequiresE2ee}</p>}
        {!canEncrypt && !problem && <p class={refusedE2ee ? 'notice error' : 'notice'}>{refusedE2ee ? joinProblem('e2ee-required').message : text.prejoinCannotEncrypt}</p>}
        <div class="field">
          <label for="display-name">{text.yourName}</label>
          <input id="display-name" class="input" type="text" autoComplete="name" maxLength={64} required placeholder={text.yourNamePlaceholder} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        {askPassword && (
          <div class="field">
            <label for="room-password">{text.password}</label>
            <input id="room-password" class="input" type="password" autoComplete="off" maxLength={128} required placeholder={text.passwordPlaceholder} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </div>
        )}
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button primary large" disabled={!trimmed || (askPassword && !password) || blockedByLock(summary, canPassLock) || refusedE2ee}>
          {text.join}
        </button>
        <p class="hint">{text.nameRemembered}</p>
      </form>
    </main>
  );
}
