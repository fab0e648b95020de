// Development and tests only: a worker thread cannot load TypeScript by itself, so this entry
// registers tsx in the thread and then loads the task module from the sources. The build needs
// no such step (render-pool.ts hands the workers the task module's compiled chunk).
import { register } from 'tsx/esm/api';

register();
const task = await import('./render-task.js'); // the .ts source, through tsx
export default task.default;
