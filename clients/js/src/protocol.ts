// The rembuk wire protocol (docs/protocol.md): one JSON object per WebSocket text frame.
//
// Each interface here mirrors one schema of schemas/protocol/*.json; test/schemas.test.ts
// checks every one of them against its schema (required fields, optional fields, no field
// the schema does not know), so the two cannot drift. Clients must ignore fields they do not
// know: the server may add optional fields.

import type { Command } from './commands.js';

/** Optional request id, echoed on the reply that answers exactly one request. */
export type RequestId = string | number;

export type Role = 'viewer' | 'opd_editor' | 'tim_pelaksana' | 'dewan' | 'reviewer' | 'kementerian' | 'admin';

export const ROLES: readonly Role[] = [
  'viewer',
  'opd_editor',
  'tim_pelaksana',
  'dewan',
  'reviewer',
  'kementerian',
  'admin',
];

// ───────────────────────────── client → server ─────────────────────────────

export interface HelloMessage {
  type: 'hello';
  id?: RequestId;
  token: string;
}

export interface SubscribeMessage {
  type: 'subscribe';
  id?: RequestId;
  masterplan: string;
  fromVersion?: number;
}

export interface UnsubscribeMessage {
  type: 'unsubscribe';
  id?: RequestId;
  masterplan: string;
}

export interface SubmitMessage {
  type: 'submit';
  id?: RequestId;
  commandId: string;
  masterplan: string;
  baseVersion?: number;
  command: Command;
}

/** Where the user is looking, e.g. `{entity: "program/p-1", field: "title"}`; never stored. */
export type Focus = unknown;

export interface PresenceMessage {
  type: 'presence';
  id?: RequestId;
  masterplan: string;
  focus?: Focus;
}

export interface PingMessage {
  type: 'ping';
  id?: RequestId;
}

export type ClientMessage =
  | HelloMessage
  | SubscribeMessage
  | UnsubscribeMessage
  | SubmitMessage
  | PresenceMessage
  | PingMessage;

// ───────────────────────────── server → client ─────────────────────────────

export interface ServerInfo {
  version: string;
  maxFrameBytes?: number;
  commandsPerSecond?: number;
  presenceTtlMs?: number;
}

export interface WelcomeMessage {
  type: 'welcome';
  id?: RequestId;
  session: string;
  user: string;
  roles: Role[];
  opd?: string;
  masterplans?: string[];
  server: ServerInfo;
}

/** One stored event as sent to clients (schemas/protocol/event.json). */
export interface StoredEvent<P = Record<string, unknown>> {
  /** The event's revision in its masterplan: 1, 2, 3 … without gaps. */
  version: number;
  /** Its place in the whole log. */
  position: number;
  type: string;
  schemaVersion: number;
  /** RFC 3339 with microseconds. */
  time: string;
  actor?: string;
  commandId?: string;
  payload: P;
}

export interface EventsMessage {
  type: 'events';
  id?: RequestId;
  masterplan: string;
  events: StoredEvent[];
  /** The revision of the last event listed, or the current version when `events` is empty. */
  version: number;
  /** True only on the answer to subscribe. */
  catchUp?: boolean;
}

export interface SnapshotMessage {
  type: 'snapshot';
  id?: RequestId;
  masterplan: string;
  version: number;
  state: Record<string, unknown>;
}

export interface AckMessage {
  type: 'ack';
  id?: RequestId;
  commandId: string;
  masterplan?: string;
  version: number;
  duplicate?: boolean;
}

export interface Violation {
  code: string;
  /** JSON pointer into the submitted envelope, e.g. `/command/startYear`. */
  path?: string;
  messageId?: string;
  messageEn?: string;
  detail?: unknown;
}

/** `detail` of a violation with code `conflict` (kernel/model field-level rebase). */
export interface ConflictDetail {
  /** The field key that changed, e.g. `program/p-1/title`. */
  field: string;
  /** The key the rejected command touched. */
  touched: string;
  currentValue: unknown;
  changedBy: string;
  changedAtVersion: number;
  baseVersion: number;
}

export interface RejectMessage {
  type: 'reject';
  id?: RequestId;
  commandId: string;
  masterplan?: string;
  code: string;
  message: string;
  violations: Violation[];
}

export type PresenceState = 'active' | 'left';

export interface PresenceBroadcastMessage {
  type: 'presence';
  masterplan: string;
  user: string;
  session: string;
  focus?: Focus;
  state: PresenceState;
}

export interface UnsubscribedMessage {
  type: 'unsubscribed';
  id?: RequestId;
  masterplan: string;
}

export interface PongMessage {
  type: 'pong';
  id?: RequestId;
}

export type ErrorCode =
  | 'bad_json'
  | 'too_deep'
  | 'not_an_object'
  | 'binary_not_supported'
  | 'missing_type'
  | 'unknown_type'
  | 'missing_field'
  | 'invalid_field'
  | 'not_authenticated'
  | 'already_authenticated'
  | 'invalid_token'
  | 'token_expired'
  | 'not_subscribed'
  | 'forbidden'
  | 'too_many_subscriptions'
  | 'rate_limited'
  | 'read_failed';

export const ERROR_CODES: readonly ErrorCode[] = [
  'bad_json',
  'too_deep',
  'not_an_object',
  'binary_not_supported',
  'missing_type',
  'unknown_type',
  'missing_field',
  'invalid_field',
  'not_authenticated',
  'already_authenticated',
  'invalid_token',
  'token_expired',
  'not_subscribed',
  'forbidden',
  'too_many_subscriptions',
  'rate_limited',
  'read_failed',
];

export interface ErrorMessage {
  type: 'error';
  id?: RequestId;
  code: ErrorCode;
  message: string;
  ref?: string;
  path?: string;
}

export type ServerMessage =
  | WelcomeMessage
  | EventsMessage
  | SnapshotMessage
  | AckMessage
  | RejectMessage
  | PresenceBroadcastMessage
  | UnsubscribedMessage
  | PongMessage
  | ErrorMessage;

/** Reject codes of docs/protocol.md that are not domain rules. */
export type TransportRejectCode =
  | 'forbidden'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'storage_error';

/** WebSocket close codes the server uses (docs/protocol.md, "Close codes"). */
export const CLOSE_CODES = {
  shuttingDown: 1001,
  policy: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
  idleTimeout: 4000,
} as const;

/** Parses one text frame; null when it is not a JSON object with a string `type`. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  if (typeof (value as { type?: unknown }).type !== 'string') return null;
  return value as ServerMessage;
}
