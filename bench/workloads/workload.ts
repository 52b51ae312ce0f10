/** A workload: the server's script plus what the user does, on one timeline. */
import type { ServerScript } from '../sim/scripted-server.js';

export type UserAction =
  /** A new tab opens in front (tabs are numbered in opening order). */
  | { at: number; type: 'open'; tab: number }
  /** The user leaves the browser: the tab in front becomes hidden. */
  | { at: number; type: 'leave' }
  /** The user brings a tab to the front (visibilitychange + focus); the others are hidden. */
  | { at: number; type: 'focus'; tab: number }
  /** Sign-in switch to another user, in every tab. */
  | { at: number; type: 'user'; userId: string };

export interface Workload {
  id: string;
  title: string;
  start: number;
  durationMs: number;
  tabs: number;
  subscribers: number;
  firstUser: string;
  server: ServerScript;
  actions: UserAction[];
}
