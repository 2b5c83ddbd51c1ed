// A client of the Janus API over its HTTP transport (https://janus.conf.meetecho.com/docs/rest.html):
// POST /janus creates a session, POST /janus/<session> attaches plugin handles and sends them
// messages, and a long poll (GET /janus/<session>?maxev=N) brings everything asynchronous —
// plugin events answering a transaction, trickled candidates, webrtcup, hangup.
//
// Synchronous plugin requests (e.g. VideoRoom `create`) answer in the POST itself with
// `success`; asynchronous ones (`join`, `publish`, `start`) answer `ack` there and the result
// arrives later on the long poll, carrying the same transaction id.

import { randomBytes } from 'node:crypto';

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** A trickled candidate as Janus sends and accepts it, or the end of candidates. */
export type JanusCandidate = { candidate: string; sdpMid?: string; sdpMLineIndex?: number } | { completed: true };

/** Anything Janus sends: a reply or an event (only the fields this client reads). */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
  candidate?: JanusCandidate;
  reason?: string;
}

/** The reply to a plugin message: the plugin's data and, if any, its SDP. */
export interface PluginReply {
  data: Record<string, unknown>;
  jsep: Jsep | null;
}

export class JanusError extends Error {
  override name = 'JanusError';
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(`janus error ${code}: ${reason}`);
  }
}

function transactionId(): string {
  return randomBytes(9).toString('base64url');
}

/** Rejects a plugin result that reports an error in its data (`error_code` + `error`). */
function pluginReply(m: JanusMessage): PluginReply {
  if (m.janus === 'error') throw new JanusError(m.error?.code ?? -1, m.error?.reason ?? 'unknown');
  const data = m.plugindata?.data ?? {};
  if (typeof data['error_code'] === 'number') throw new JanusError(data['error_code'], String(data['error'] ?? 'plugin error'));
  return { data, jsep: m.jsep ?? null };
}

interface Pending {
  resolve: (m: JanusMessage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Janus closes sessions after `session_timeout` (60 s by default) without requests. */
const KEEPALIVE_MS = 25_000;
/** Events fetched per long poll. */
const MAX_EVENTS = 20;

export class JanusSession {
  readonly id: number;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly handles = new Map<number, JanusHandle>();
  private readonly pending = new Map<string, Pending>();
  private readonly keepalive: NodeJS.Timeout;
  private readonly pollAbort = new AbortController();
  private closed = false;
  /** Failures of the long poll, for reports (the poll retries). */
  readonly errors: string[] = [];

  private constructor(base: string, id: number, timeoutMs: number) {
    this.base = base;
    this.id = id;
    this.timeoutMs = timeoutMs;
    this.keepalive = setInterval(() => {
      void this.post({ janus: 'keepalive' }).catch((err: unknown) => this.errors.push(`keepalive: ${String(err)}`));
    }, KEEPALIVE_MS);
    void this.poll();
  }

  /** `url` is the API root, e.g. http://10.231.0.1:8088/janus. */
  static async create(url: string, timeoutMs = 15_000): Promise<JanusSession> {
    const base = url.replace(/\/+$/, '');
    const reply = await postJson(base, { janus: 'create', transaction: transactionId() }, timeoutMs);
    if (reply.janus !== 'success' || typeof reply.data?.id !== 'number') throw new JanusError(reply.error?.code ?? -1, reply.error?.reason ?? `create: ${reply.janus}`);
    return new JanusSession(base, reply.data.id, timeoutMs);
  }

  async attach(plugin: string): Promise<JanusHandle> {
    const reply = await this.post({ janus: 'attach', plugin });
    if (reply.janus !== 'success' || typeof reply.data?.id !== 'number') throw new JanusError(reply.error?.code ?? -1, reply.error?.reason ?? `attach: ${reply.janus}`);
    const handle = new JanusHandle(this, reply.data.id);
    this.handles.set(handle.id, handle);
    return handle;
  }

  /** POSTs a request to the session (or one of its handles) and returns Janus's immediate reply. */
  async post(body: Record<string, unknown>, handleId?: number): Promise<JanusMessage> {
    if (this.closed) throw new Error('janus session is closed');
    const path = handleId === undefined ? `${this.base}/${this.id}` : `${this.base}/${this.id}/${handleId}`;
    return postJson(path, { transaction: transactionId(), ...body }, this.timeoutMs);
  }

  /**
   * Sends a message whose result may come asynchronously: resolves with the `success` reply of a
   * synchronous request, or with the event carrying the same transaction after an `ack`.
   */
  async request(body: Record<string, unknown>, handleId: number): Promise<JanusMessage> {
    const transaction = transactionId();
    const event = new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new Error(`janus: no answer to ${JSON.stringify(body['body'] ?? body['janus'])} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(transaction, { resolve, reject, timer });
    });
    event.catch(() => {}); // handled below or by the caller; never an unhandled rejection
    let reply: JanusMessage;
    try {
      reply = await this.post({ ...body, transaction }, handleId);
    } catch (err) {
      this.settle(transaction)?.reject(err as Error);
      throw err;
    }
    if (reply.janus === 'ack') return event;
    this.settle(transaction);
    return reply;
  }

  private settle(transaction: string): Pending | undefined {
    const p = this.pending.get(transaction);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(transaction);
    }
    return p;
  }

  private async poll(): Promise<void> {
    while (!this.closed) {
      try {
        const res = await fetch(`${this.base}/${this.id}?maxev=${MAX_EVENTS}&rid=${Date.now()}`, { signal: this.pollAbort.signal });
        const body = (await res.json()) as JanusMessage | JanusMessage[];
        for (const m of Array.isArray(body) ? body : [body]) this.dispatch(m);
      } catch (err) {
        if (this.closed) return;
        this.errors.push(`long poll: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private dispatch(m: JanusMessage): void {
    if (m.janus === 'keepalive') return; // the long poll's timeout (30 s) without events
    if (m.transaction !== undefined) {
      const p = this.settle(m.transaction);
      if (p) {
        p.resolve(m);
        return;
      }
    }
    if (m.sender !== undefined) this.handles.get(m.sender)?.emit(m);
  }

  /** Destroys the session on the server (which hangs up every handle) and stops polling. */
  async destroy(): Promise<void> {
    if (this.closed) return;
    try {
      await this.post({ janus: 'destroy' });
    } catch {
      // the server may be gone already
    }
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    this.pollAbort.abort();
    for (const [t, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('janus session closed'));
      this.pending.delete(t);
    }
  }
}

/** One plugin handle: messages to the plugin, trickle, and its unsolicited events. */
export class JanusHandle {
  readonly session: JanusSession;
  readonly id: number;
  private readonly listeners = new Set<(m: JanusMessage) => void>();

  constructor(session: JanusSession, id: number) {
    this.session = session;
    this.id = id;
  }

  /** Sends `body` (and an SDP) to the plugin; resolves with its result, rejects on errors. */
  async message(body: Record<string, unknown>, jsep?: Jsep): Promise<PluginReply> {
    const m = await this.session.request({ janus: 'message', body, ...(jsep ? { jsep } : {}) }, this.id);
    return pluginReply(m);
  }

  async trickle(candidate: JanusCandidate): Promise<void> {
    const reply = await this.session.post({ janus: 'trickle', candidate }, this.id);
    if (reply.janus === 'error') throw new JanusError(reply.error?.code ?? -1, reply.error?.reason ?? 'trickle');
  }

  /** Events not answering a request: `trickle`, `webrtcup`, `media`, `hangup`, plugin events. */
  onEvent(listener: (m: JanusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(m: JanusMessage): void {
    for (const l of this.listeners) l(m);
  }
}

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<JanusMessage> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`janus HTTP ${res.status} for ${url}`);
  return (await res.json()) as JanusMessage;
}
