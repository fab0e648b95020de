import { loadLesson } from '$lib/courses/lessons';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ data }) => ({
	...data,
	Overview: await loadLesson(data.course.overviewFile)
});
