import { defineConfig } from 'astro/config';

// Nothing to add: the kit renders its own elements, so no integration is needed.
export default defineConfig({});
