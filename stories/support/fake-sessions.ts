// Story helpers: fake sessions that outlive re-renders, and the small layouts every story file uses.
import { html } from 'lit';
import { FakeCallSession, type FakeSessionOptions } from '../../src/testing/fake-call-session.js';

const sessions = new Map<string, FakeCallSession>();

/**
 * One fake session per name, made on first use and kept: buttons keep their state across re-renders, and
 * re-renders don't start new canvas tracks.
 */
export function fakeSession(name: string, options: FakeSessionOptions = {}): FakeCallSession {
  let session = sessions.get(name);
  if (!session) sessions.set(name, (session = new FakeCallSession(options)));
  return session;
}

/** Padding around a story, with room for what opens above or below the element. */
export const stage = (content: unknown, padding = '16px', minHeight = 'auto') =>
  html`<div style="padding:${padding};min-height:${minHeight};max-width:820px">${content}</div>`;

/** An element with a line of text under it. */
export const caption = (text: string, content: unknown) =>
  html`<figure style="margin:0;display:grid;gap:8px;justify-items:start">
    ${content}
    <figcaption style="font:12px system-ui;color:#5f6368">${text}</figcaption>
  </figure>`;
