import { BreakoutPanel } from '../components/breakout-panel/breakout-panel.js';

BreakoutPanel.define('breakout-panel');

declare global {
  interface HTMLElementTagNameMap {
    'breakout-panel': BreakoutPanel;
  }
}
