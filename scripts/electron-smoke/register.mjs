// node --import ./scripts/electron-smoke/register.mjs out/main/index.js
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
