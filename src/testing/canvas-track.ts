/**
 * A live video track drawn on a canvas: a coloured backdrop, the participant's initials and a moving bar, so
 * stories and tests show real frames without a camera. Drawing stops when the track is stopped.
 */
export function createCanvasTrack(
  label: string,
  hue = 210,
  width = 320,
  height = 240,
  fps = 15,
): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const initials = label
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  let frame = 0;
  const draw = () => {
    ctx.fillStyle = `hsl(${hue} 45% 35%)`;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = `hsl(${hue} 60% 75%)`;
    ctx.fillRect((frame * 4) % width, height - 12, 40, 6);
    ctx.fillStyle = '#fff';
    ctx.font = `600 ${Math.round(height / 4)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(initials, width / 2, height / 2);
    frame++;
  };
  draw();
  const track = canvas.captureStream(fps).getVideoTracks()[0];
  const timer = setInterval(() => (track.readyState === 'ended' ? clearInterval(timer) : draw()), 1000 / fps);
  return track;
}
