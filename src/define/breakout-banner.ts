import { BreakoutBanner } from '../components/breakout-banner/breakout-banner.js';

BreakoutBanner.define('breakout-banner');

declare global {
  interface HTMLElementTagNameMap {
    'breakout-banner': BreakoutBanner;
  }
}
