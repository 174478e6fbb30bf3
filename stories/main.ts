import type { StorybookConfig } from '@storybook/web-components-vite';

// Run with `-c stories`; Storybook's Vite root is then the repo root and it reads vite.config.ts (minus `build`).
const config: StorybookConfig = {
  stories: ['./**/*.stories.ts', './guides/*.mdx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};
export default config;
