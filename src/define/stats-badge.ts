import { StatsBadge } from '../components/stats-badge/stats-badge.js';

StatsBadge.define('stats-badge');

declare global {
  interface HTMLElementTagNameMap {
    'stats-badge': StatsBadge;
  }
}
