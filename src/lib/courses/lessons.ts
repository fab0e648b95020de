import type { Component } from 'svelte';

// Lesson bodies compiled by mdsvex. Their frontmatter is stripped at compile time (see
// svelte.config.js), so these chunks hold the lesson text and nothing the server keeps secret.
const lessons = import.meta.glob<{ default: Component }>('/courses/*/*.md');

export async function loadLesson(file: string): Promise<Component> {
	const load = lessons[`/${file}`];
	if (!load) throw new Error(`No compiled lesson for ${file}`);
	return (await load()).default;
}
