import { VideoTile } from '../components/video-tile/video-tile.js';

VideoTile.define('video-tile');

declare global {
  interface HTMLElementTagNameMap {
    'video-tile': VideoTile;
  }
}
