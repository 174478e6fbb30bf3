import { expect } from '@open-wc/testing';
import { ProxyHealth, type ProxyHealthEvents } from '../../../src/core/proxy-health.js';

describe('ProxyHealth', () => {
  let now: number;
  let events: string[];
  let health: ProxyHealth;
  let sessionId: string | undefined;

  const record: ProxyHealthEvents = {
    refused: (code) => events.push(`refused ${code}`),
    sessionGone: () => events.push('session gone'),
    degraded: () => events.push('degraded'),
    recovered: () => events.push('recovered'),
    failed: (code) => events.push(`failed ${code}`),
  };

  beforeEach(() => {
    now = 0;
    events = [];
    sessionId = 's1';
    health = new ProxyHealth(record, {
      currentSessionId: () => sessionId,
      now: () => now,
      limits: { noticeMs: 2_000, limitMs: 30_000 },
    });
  });

  afterEach(() => health.stop());

  const error = (errorCode: string, session = 's1') =>
    health.observe({ status: 500, errorCode, sessionId: session });
  const ok = () => health.observe({ status: 200, sessionId: 's1' });

  it('ignores a blip', () => {
    error('upstream_unavailable');
    now = 500;
    ok();
    now = 60_000;
    health.check();
    expect(events).to.deep.equal([]);
  });

  it('says degraded after errors keep coming, recovered on the next good answer', () => {
    error('upstream_timeout');
    now = 2_500;
    error('upstream_timeout');
    expect(events).to.deep.equal(['degraded']);
    now = 4_000;
    ok();
    expect(events).to.deep.equal(['degraded', 'recovered']);
  });

  it('fails with the last code when errors keep coming past the limit', () => {
    for (now = 0; now <= 30_000; now += 5_000) error(now < 20_000 ? 'network_error' : 'rate_limited');
    expect(events).to.deep.equal(['degraded', 'failed rate_limited']);
  });

  it('ends an outage quietly when the errors stop coming', () => {
    error('upstream_unavailable');
    now = 3_000;
    health.check();
    now = 16_000;
    health.check();
    now = 40_000;
    health.check();
    expect(events).to.deep.equal(['degraded', 'recovered']);
  });

  it('does not count errors about a session already replaced as an outage', () => {
    for (now = 0; now <= 40_000; now += 1_000) error('upstream_unavailable', 'old');
    health.check();
    expect(events).to.deep.equal([]);
  });

  it('takes a pull of a track that left the room for neither an outage nor a refusal', () => {
    for (now = 0; now <= 40_000; now += 1_000) error('not_in_room');
    health.check();
    expect(events).to.deep.equal([]);
  });

  it('asks for a fresh token on a refusal', () => {
    error('unauthorized');
    error('forbidden');
    expect(events).to.deep.equal(['refused unauthorized', 'refused forbidden']);
  });

  it('takes a request the token does not allow for a refusal, not an outage', () => {
    for (now = 0; now <= 40_000; now += 1_000) error('forbidden');
    health.check();
    expect(events.every((e) => e === 'refused forbidden')).to.equal(true, events.join());
  });

  it('restarts the current session when it is gone, at most once per 5 s', () => {
    error('session_gone', 'old');
    expect(events, 'not for a session already replaced').to.deep.equal([]);
    error('session_gone');
    now = 1_000;
    error('session_gone');
    expect(events).to.deep.equal(['session gone']);
    now = 6_000;
    error('session_gone');
    expect(events).to.deep.equal(['session gone', 'session gone', 'degraded']);
  });
});
