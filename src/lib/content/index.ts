// The building blocks course authors may use in lessons (see courses/README.md). The course
// preprocessor imports these into every course file; the catalog refuses any other component.
export { default as Agency } from './Agency.svelte';
export { default as Callout } from './Callout.svelte';
export { default as Hotline } from './Hotline.svelte';
export { default as Indicators } from './Indicators.svelte';
export { default as WhatWouldYouDo } from './WhatWouldYouDo.svelte';
