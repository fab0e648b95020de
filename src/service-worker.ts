/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Keeps the pocket reference card usable offline once visited, and serves the app's
// immutable assets from cache on slow connections. Pages with personal data are never cached:
// the card is cached as an anonymous visitor sees it (fetched without cookies), and a response
// the server marks `no-store` (every page a signed-in person sees) is never kept.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `muster-${version}`;
const OFFLINE_PAGES = ['/reference'];
const ASSETS = new Set([...build, ...files]);
// Installing downloads only what the reference card needs to look right offline (it works
// without JavaScript): stylesheets, the icon and the page. Scripts are cached as they are used,
// so an officer on a metered phone never downloads the whole app up front.
const PRECACHE = [...build.filter((f) => f.endsWith('.css')), ...files];

/** The anonymous version of an offline page: no cookies, so no name or email in it. */
function anonymous(path: string): Request {
	return new Request(path, { credentials: 'omit', cache: 'no-store' });
}

/** Only what the server allows to be stored: a page with personal data says `no-store`. */
function storable(response: Response): boolean {
	return response.ok && !/no-store|private/i.test(response.headers.get('Cache-Control') ?? '');
}

async function cacheOfflinePages(cache: Cache): Promise<void> {
	for (const path of OFFLINE_PAGES) {
		const response = await fetch(anonymous(path));
		if (storable(response)) await cache.put(path, response);
	}
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then(async (cache) => {
				await cache.addAll(PRECACHE);
				await cacheOfflinePages(cache);
			})
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;

	if (ASSETS.has(url.pathname)) {
		// Immutable, hashed files: the cache first, and whatever the network brings is kept.
		event.respondWith(
			caches.match(url.pathname).then(
				(hit) =>
					hit ??
					fetch(request).then(async (response) => {
						if (response.ok) (await caches.open(CACHE)).put(url.pathname, response.clone());
						return response;
					})
			)
		);
		return;
	}
	if (OFFLINE_PAGES.includes(url.pathname)) {
		// Network first so the card stays current; the cached (anonymous) copy when offline.
		event.respondWith(
			fetch(request)
				.then(async (response) => {
					// A member's card (marked personal) is shown but never kept for offline use.
					if (storable(response) && !response.headers.has('x-muster-personal'))
						(await caches.open(CACHE)).put(url.pathname, response.clone());
					return response;
				})
				.catch(async () => (await caches.match(url.pathname)) ?? Response.error())
		);
	}
});
