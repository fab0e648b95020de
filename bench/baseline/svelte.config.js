// The benchmark's yardstick: the same SvelteKit and adapter as Muster, with nothing of Muster's
// (no hooks, no CSP, no preprocessors), so its figures are what the framework itself costs here.
import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: adapter({ out: 'build', precompress: false }),
		outDir: '.svelte-kit'
	}
};

export default config;
